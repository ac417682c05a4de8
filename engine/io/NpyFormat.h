#pragma once
// numpy's .npy format (version 1.0) and .npz archives, for exporting factors in the layout other
// tools read (implicit's saved models, np.load). The format is public and short
// (numpy.lib.format): the magic "\x93NUMPY", version 1.0, a little-endian u16 header length, a
// Python-literal header {'descr': '<f4', 'fortran_order': False, 'shape': (n, k), } padded with
// spaces and a newline so the data starts at a multiple of 64 bytes, then the data in C order.
// An .npz is a zip archive of NAME.npy entries (np.savez stores them uncompressed).
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
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

// Writes an uncompressed .npz atomically (temporary file and rename); throws DataError naming
// the file when it cannot be written.
void writeNpz(const std::filesystem::path& path, const std::vector<NpyArray>& arrays);

}  // namespace lens
