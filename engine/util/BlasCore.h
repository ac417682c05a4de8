#pragma once
// Which kernels the BLAS under LAPACK (EASE's Cholesky factor and inverse) runs with.
//
// OpenBLAS chooses its kernels by processor model when it loads. Releases before 0.3.27 (Debian
// 12 ships 0.3.21) do not know AMD's Zen 4 and Zen 5 and take their AVX2 ("Haswell") kernels
// there, although those processors run the AVX-512 ("SkylakeX") kernels, about twice as fast
// (float GEMM on this project's 2-core Zen 5 machine: 179 against 337 GFLOP/s). OpenBLAS's
// documented override is the environment variable OPENBLAS_CORETYPE, read when the library
// loads: so the executable, at its very start, re-executes itself with it set when that helps.
#include <string>

namespace lens {

// OpenBLAS's name for the kernels it chose ("Haswell", "SkylakeX", ...); empty when the BLAS
// is not OpenBLAS.
std::string blasCoreName();

// The kernels to ask for instead ("SkylakeX"), or nullptr to keep the choice: only when
// OpenBLAS chose Haswell or Zen, the processor has AVX-512 F, CD, BW, DQ and VL (what the
// SkylakeX kernels use) and the user did not set OPENBLAS_CORETYPE.
const char* betterBlasCore();

// When betterBlasCore() names kernels, sets OPENBLAS_CORETYPE and re-executes the program with
// the same arguments (once: a marker variable stops a second round). Returns when it did not.
void reexecWithBetterBlasCore(char** argv);

}  // namespace lens
