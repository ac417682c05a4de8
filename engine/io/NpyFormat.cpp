#include "io/NpyFormat.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>

#include "io/ZipFileSource.h"
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

namespace {

// The header's value for `key` in a Python dict literal: the text after "'key':" up to the
// next top-level ',' or '}' (a shape tuple's commas are inside parentheses).
std::string_view headerValue(std::string_view header, std::string_view key,
                             const std::string& where) {
    // The key in single or double quotes (numpy writes single).
    std::size_t at = std::string_view::npos, keyEnd = 0;
    for (const char quote : {'\'', '"'}) {
        for (std::size_t from = 0; (from = header.find(key, from)) != std::string_view::npos;
             ++from) {
            if (from > 0 && header[from - 1] == quote && from + key.size() < header.size() &&
                header[from + key.size()] == quote) {
                at = from - 1;
                keyEnd = from + key.size() + 1;
                break;
            }
        }
        if (at != std::string_view::npos) break;
    }
    if (at == std::string_view::npos)
        throw DataError(where, 0, "npy header has no '" + std::string(key) + "'");
    std::size_t pos = header.find(':', keyEnd);
    if (pos == std::string_view::npos)
        throw DataError(where, 0, "malformed npy header near '" + std::string(key) + "'");
    ++pos;
    int depth = 0;
    std::size_t end = pos;
    for (; end < header.size(); ++end) {
        const char c = header[end];
        if (c == '(') ++depth;
        if (c == ')') --depth;
        if (depth == 0 && (c == ',' || c == '}')) break;
    }
    std::string_view v = header.substr(pos, end - pos);
    while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
    while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
    return v;
}

std::size_t elementSize(const std::string& descr) {
    if (descr.size() != 3 || (descr[0] != '<' && descr[0] != '|')) return 0;
    const char kind = descr[1];
    const int bytes = descr[2] - '0';
    if (kind == 'f' && (bytes == 4 || bytes == 8)) return static_cast<std::size_t>(bytes);
    if ((kind == 'i' || kind == 'u') && (bytes == 1 || bytes == 2 || bytes == 4 || bytes == 8))
        return static_cast<std::size_t>(bytes);
    return 0;
}

template <typename T>
T loadAt(const std::string& data, std::size_t index) {
    T v;
    std::memcpy(&v, data.data() + index * sizeof(T), sizeof(T));
    return v;
}

}  // namespace

NpyArray parseNpy(std::string_view bytes, std::string name, const std::string& file) {
    const std::string where = name.empty() ? file : file + ":" + name + ".npy";
    if (bytes.size() < 10 || bytes.substr(0, 6) != std::string_view("\x93NUMPY", 6))
        throw DataError(where, 0, "not a .npy array (no \\x93NUMPY magic)");
    const auto major = static_cast<unsigned char>(bytes[6]);
    std::size_t headerLength = 0, offset = 0;
    if (major == 1) {
        headerLength = static_cast<unsigned char>(bytes[8]) |
                       (static_cast<std::size_t>(static_cast<unsigned char>(bytes[9])) << 8);
        offset = 10;
    } else if (major == 2 || major == 3) {
        if (bytes.size() < 12) throw DataError(where, 0, "truncated .npy header");
        for (int b = 3; b >= 0; --b)
            headerLength = (headerLength << 8) | static_cast<unsigned char>(bytes[8 + b]);
        offset = 12;
    } else {
        throw DataError(where, 0, "unsupported .npy version " + std::to_string(major));
    }
    if (headerLength > bytes.size() - offset) throw DataError(where, 0, "truncated .npy header");
    const std::string_view header = bytes.substr(offset, headerLength);

    NpyArray array;
    array.name = std::move(name);
    std::string_view descr = headerValue(header, "descr", where);
    if (descr.size() < 2 || (descr.front() != '\'' && descr.front() != '"'))
        throw DataError(where, 0, "npy 'descr' is not a simple type string");
    array.descr = std::string(descr.substr(1, descr.size() - 2));
    if (array.descr == "<f4" || array.descr == "<f8") {
        // as is
    } else if (array.descr.size() == 3 && array.descr[0] == '=') {
        array.descr[0] = '<';  // native order: little-endian on every platform we build for
    }
    const std::size_t itemSize = elementSize(array.descr);
    if (itemSize == 0)
        throw DataError(where, 0,
                        "unsupported npy element type '" + array.descr +
                            "' (expected float32/64 or integers, little-endian)");

    const std::string_view order = headerValue(header, "fortran_order", where);
    const bool fortran = order == "True";
    if (!fortran && order != "False")
        throw DataError(where, 0, "npy 'fortran_order' is neither True nor False");

    std::string_view shape = headerValue(header, "shape", where);
    if (shape.size() < 2 || shape.front() != '(' || shape.back() != ')')
        throw DataError(where, 0, "npy 'shape' is not a tuple");
    shape = shape.substr(1, shape.size() - 2);
    std::size_t count = 1;
    while (!shape.empty()) {
        while (!shape.empty() && (shape.front() == ' ' || shape.front() == ','))
            shape.remove_prefix(1);
        if (shape.empty()) break;
        std::size_t n = 0, digits = 0;
        while (!shape.empty() && shape.front() >= '0' && shape.front() <= '9') {
            if (n > (std::numeric_limits<std::size_t>::max() - 9) / 10)
                throw DataError(where, 0, "npy shape too large");
            n = n * 10 + static_cast<std::size_t>(shape.front() - '0');
            shape.remove_prefix(1);
            ++digits;
        }
        if (digits == 0 || array.shape.size() >= 8)
            throw DataError(where, 0, "malformed npy shape");
        if (n != 0 && count > std::numeric_limits<std::size_t>::max() / n)
            throw DataError(where, 0, "npy shape too large");
        count *= n;
        array.shape.push_back(n);
    }
    const std::size_t dataOffset = offset + headerLength;
    const std::size_t available = bytes.size() - dataOffset;
    const bool overflow = count > std::numeric_limits<std::size_t>::max() / itemSize;
    if (overflow || count * itemSize != available)
        throw DataError(
            where, 0,
            "npy data holds " + std::to_string(available) + " bytes, the shape needs " +
                (overflow ? std::string("more than 2^64") : std::to_string(count * itemSize)));
    array.data.assign(bytes.substr(dataOffset));
    if (fortran && array.shape.size() == 2 && array.shape[0] > 1 && array.shape[1] > 1) {
        // Column-major to row-major.
        const std::size_t rows = array.shape[0], cols = array.shape[1];
        std::string c(array.data.size(), '\0');
        for (std::size_t r = 0; r < rows; ++r)
            for (std::size_t k = 0; k < cols; ++k)
                std::memcpy(c.data() + (r * cols + k) * itemSize,
                            array.data.data() + (k * rows + r) * itemSize, itemSize);
        array.data = std::move(c);
    } else if (fortran && array.shape.size() > 2) {
        throw DataError(where, 0, "Fortran-ordered npy arrays of more than 2 dimensions");
    }
    return array;
}

std::map<std::string, NpyArray> readNpz(const std::filesystem::path& path) {
    const std::unique_ptr<ZipFileSource> zip = ZipFileSource::openFile(path);
    std::map<std::string, NpyArray> arrays;
    for (const std::string& entry : zip->list()) {
        if (entry.size() <= 4 || entry.compare(entry.size() - 4, 4, ".npy") != 0) continue;
        const std::string name = entry.substr(0, entry.size() - 4);
        const FileBytes bytes = zip->read(entry);
        arrays.emplace(name, parseNpy(bytes.content, name, path.string()));
    }
    if (arrays.empty()) throw DataError(path.string(), 0, "no .npy arrays in the archive");
    return arrays;
}

std::vector<double> npyAsDoubles(const NpyArray& a, const std::string& file) {
    const std::size_t size = elementSize(a.descr);
    if (size == 0) throw DataError(file, 0, a.name + ": unsupported element type " + a.descr);
    const std::size_t n = a.data.size() / size;
    std::vector<double> out(n);
    const char kind = a.descr[1];
    for (std::size_t i = 0; i < n; ++i) {
        switch (kind == 'f' ? size : (kind == 'i' ? 10 + size : 20 + size)) {
            case 4:
                out[i] = loadAt<float>(a.data, i);
                break;
            case 8:
                out[i] = loadAt<double>(a.data, i);
                break;
            case 11:
                out[i] = loadAt<std::int8_t>(a.data, i);
                break;
            case 12:
                out[i] = loadAt<std::int16_t>(a.data, i);
                break;
            case 14:
                out[i] = loadAt<std::int32_t>(a.data, i);
                break;
            case 18:
                out[i] = static_cast<double>(loadAt<std::int64_t>(a.data, i));
                break;
            case 21:
                out[i] = loadAt<std::uint8_t>(a.data, i);
                break;
            case 22:
                out[i] = loadAt<std::uint16_t>(a.data, i);
                break;
            case 24:
                out[i] = loadAt<std::uint32_t>(a.data, i);
                break;
            default:
                out[i] = static_cast<double>(loadAt<std::uint64_t>(a.data, i));
                break;
        }
    }
    return out;
}

std::vector<std::int64_t> npyAsInt64s(const NpyArray& a, const std::string& file) {
    if (a.descr == "<i8") {
        std::vector<std::int64_t> out(a.data.size() / 8);
        if (!out.empty()) std::memcpy(out.data(), a.data.data(), out.size() * 8);  // empty: null
        return out;
    }
    if (a.descr == "<u8") {
        std::vector<std::int64_t> out(a.data.size() / 8);
        for (std::size_t i = 0; i < out.size(); ++i) {
            const auto v = loadAt<std::uint64_t>(a.data, i);
            if (v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
                throw DataError(file, 0, a.name + ": id " + std::to_string(v) + " out of range");
            out[i] = static_cast<std::int64_t>(v);
        }
        return out;
    }
    const std::vector<double> values = npyAsDoubles(a, file);
    std::vector<std::int64_t> out(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
        const double v = values[i];
        if (!std::isfinite(v) || v != std::floor(v) || std::fabs(v) > 9.0e15)
            throw DataError(file, 0, a.name + "[" + std::to_string(i) + "] is not an integer id");
        out[i] = static_cast<std::int64_t>(v);
    }
    return out;
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
