#include "io/NpyFormat.h"

#include <bit>
#include <cstring>
#include <stdexcept>

#include "io/ZipWriter.h"
#include "util/Errors.h"

static_assert(std::endian::native == std::endian::little,
              "the .npy writer copies little-endian values as they are in memory");

namespace lens {

NpyArray NpyArray::floats(std::string name, std::vector<std::size_t> shape, const float* values) {
    std::size_t count = 1;
    for (std::size_t n : shape) count *= n;
    NpyArray array{std::move(name), "<f4", std::move(shape), {}};
    array.data.assign(reinterpret_cast<const char*>(values), count * sizeof(float));
    return array;
}

NpyArray NpyArray::int64s(std::string name, const std::vector<std::int64_t>& values) {
    NpyArray array{std::move(name), "<i8", {values.size()}, {}};
    array.data.assign(reinterpret_cast<const char*>(values.data()),
                      values.size() * sizeof(std::int64_t));
    return array;
}

NpyArray NpyArray::scalar(std::string name, double value) {
    NpyArray array{std::move(name), "<f8", {}, std::string(sizeof value, '\0')};
    std::memcpy(array.data.data(), &value, sizeof value);
    return array;
}

std::string npyBytes(const NpyArray& array) {
    // Python's tuple syntax: () for 0-d, (n,) for 1-d, (n, k) otherwise.
    std::string shape = "(";
    for (std::size_t i = 0; i < array.shape.size(); ++i)
        shape += (i ? ", " : "") + std::to_string(array.shape[i]);
    if (array.shape.size() == 1) shape += ',';
    shape += ')';
    std::string header =
        "{'descr': '" + array.descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
    // magic (6) + version (2) + header length (2) + header + '\n', padded to 64 bytes.
    const std::size_t unpadded = 10 + header.size() + 1;
    header.append((64 - unpadded % 64) % 64, ' ');
    header += '\n';
    if (header.size() > 65535) throw std::length_error("npy header too long: " + array.name);

    std::string bytes("\x93NUMPY\x01\x00", 8);
    bytes += static_cast<char>(header.size() & 0xff);
    bytes += static_cast<char>(header.size() >> 8);
    bytes += header;
    bytes += array.data;
    return bytes;
}

void writeNpz(const std::filesystem::path& path, const std::vector<NpyArray>& arrays) {
    std::vector<ZipEntryData> entries;
    entries.reserve(arrays.size());
    for (const auto& array : arrays) entries.push_back({array.name + ".npy", npyBytes(array)});
    try {
        writeZipFile(path, entries, ZipCompression::Store);
    } catch (const std::runtime_error& e) {
        throw DataError(path.string(), 0, std::string("cannot write: ") + e.what());
    }
}

}  // namespace lens
