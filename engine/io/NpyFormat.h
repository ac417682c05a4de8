#pragma once
// numpy's .npy format (version 1.0) and .npz archives, for exporting factors in the layout other
// tools read (implicit's saved models, np.load). The format is public and short
// (numpy.lib.format): the magic "\x93NUMPY", version 1.0, a little-endian u16 header length, a
// Python-literal header {'descr': '<f4', 'fortran_order': False, 'shape': (n, k), } padded with
// spaces and a newline so the data starts at a multiple of 64 bytes, then the data in C order.
// An .npz is a zip archive of NAME.npy entries (np.savez stores them uncompressed,
// np.savez_compressed deflates them). Versions 2.0 and 3.0 differ only by a u32 header length.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace lens {

// One array to write: its numpy name (without .npy), element type, shape and raw bytes.
struct NpyArray {
    std::string name;
    std::string descr;               // "<f4", "<f8" or "<i8"
    std::vector<std::size_t> shape;  // {} for a 0-d (scalar) array
    std::string data;                // little-endian elements, C order

    static NpyArray floats(std::string name, std::vector<std::size_t> shape, const float* values);
    static NpyArray int64s(std::string name, const std::vector<std::int64_t>& values);
    static NpyArray scalar(std::string name, double value);  // 0-d float64
};

// The bytes of NAME.npy for `array` (header and data).
std::string npyBytes(const NpyArray& array);

// Reading (factors trained elsewhere: io/FactorImport.h). Accepted element types: little-endian
// (or byte-order-free) float32/64 and signed/unsigned 8..64-bit integers; C or Fortran order
// (a Fortran-ordered 2-d array is transposed into C order). Anything else (object arrays,
// strings, big-endian data, a header that is not a plain dict, data shorter or longer than the
// shape says) throws DataError(file, 0, problem) naming `file`; nothing is allocated before
// the sizes are checked against the bytes present.
NpyArray parseNpy(std::string_view bytes, std::string name, const std::string& file);
// Every NAME.npy entry of an .npz archive, by NAME; DataError naming the archive (and entry).
std::map<std::string, NpyArray> readNpz(const std::filesystem::path& path);
// The elements as float64 / int64 (an integer array holding a value outside int64 and a float
// array asked for as integers with a fractional part are errors naming `file` and the array).
std::vector<double> npyAsDoubles(const NpyArray& array, const std::string& file);
std::vector<std::int64_t> npyAsInt64s(const NpyArray& array, const std::string& file);

// Writes an uncompressed .npz atomically (temporary file and rename); throws DataError naming
// the file when it cannot be written.
void writeNpz(const std::filesystem::path& path, const std::vector<NpyArray>& arrays);

}  // namespace lens
