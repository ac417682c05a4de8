#pragma once
// Read access to the files of a release, wherever they are: a folder on disk, a .zip read in
// memory (never extracted), or in-memory files. Names are relative to the release root
// ("ratings.csv", "u1.base"); a zip's single top folder ("ml-latest-small/") is skipped.
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lens {

// The bytes of one file. Owns them (read or decompressed into memory).
struct FileBytes {
    std::string name;     // display name used in errors, e.g. "ml-latest-small.zip:ratings.csv"
    std::string content;  // raw bytes
};

class FileSource {
public:
    virtual ~FileSource() = default;
    virtual bool exists(const std::string& name) const = 0;
    virtual FileBytes read(
        const std::string& name) const = 0;             // throws DataError if absent/unreadable
    virtual std::vector<std::string> list() const = 0;  // names at the release root
    virtual std::string displayName() const = 0;        // folder or zip path

    // Name of a file as error messages show it ("/data/ml-1m/ratings.dat",
    // "ml-latest-small.zip:ratings.csv").
    virtual std::string displayNameOf(const std::string& name) const;
    // The release's short name: folder name or zip base name ("ml-latest-small").
    virtual std::string releaseName() const;
    // Fast paths for large files. A file on disk that may be read in pieces (pread), or empty.
    virtual std::filesystem::path diskPath(const std::string& /*name*/) const { return {}; }
    // The bytes of a file already held in memory (no copy), or nullopt.
    virtual std::optional<std::string_view> memoryView(const std::string& /*name*/) const {
        return std::nullopt;
    }
    // Size in bytes, or nullopt when absent.
    virtual std::optional<std::uint64_t> size(const std::string& name) const;

    // A folder, a .zip, or throws DataError naming the path.
    static std::unique_ptr<FileSource> open(const std::filesystem::path& path);
    static std::unique_ptr<FileSource> fromMemory(std::map<std::string, std::string> files,
                                                  std::string name);
    // The same over a caller's map without copying it; `files` must outlive the source.
    static std::unique_ptr<FileSource> viewMemory(const std::map<std::string, std::string>& files,
                                                  std::string name);
    // A .zip held in memory (e.g. just downloaded); `name` is its display name ("ml-100k.zip").
    static std::unique_ptr<FileSource> fromZipBytes(std::string zipBytes, std::string name);
};

}  // namespace lens
