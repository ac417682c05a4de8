#pragma once
// Read access to the files of a release, wherever they are: a folder on disk, a .zip read in
// memory (never extracted), or in-memory files. Names are relative to the release root
// ("ratings.csv", "u1.base"); a zip's single top folder ("ml-latest-small/") is skipped.
#include <filesystem>
#include <map>
#include <memory>
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
    virtual FileBytes read(const std::string& name) const = 0;     // throws DataError if absent/unreadable
    virtual std::vector<std::string> list() const = 0;               // names at the release root
    virtual std::string displayName() const = 0;                     // folder or zip path

    // A folder, a .zip, or throws DataError naming the path.
    static std::unique_ptr<FileSource> open(const std::filesystem::path& path);
    static std::unique_ptr<FileSource> fromMemory(std::map<std::string, std::string> files, std::string name);
};

}  // namespace lens
