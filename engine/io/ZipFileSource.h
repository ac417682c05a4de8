#pragma once
// A .zip release read straight from the archive with libzip: entries are decompressed into
// memory on demand, never extracted to disk. A single top folder ("ml-10M100K/") is skipped
// and macOS resource forks ("__MACOSX/") are ignored.
//
// Safety (checked for every entry when the archive is opened): names with "../", a leading
// '/' or '\\' are refused; so are entries whose declared uncompressed size exceeds
// `ZipLimits::maxEntryBytes` or whose declared ratio uncompressed / compressed exceeds
// `maxRatio` (a zip bomb). While decompressing, more bytes than declared is an error too, and
// libzip's CRC-32 check catches corrupt data.
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "io/FileSource.h"

typedef struct zip zip_t;
typedef struct zip_source zip_source_t;
typedef struct zip_error zip_error_t;

namespace lens {

struct ZipLimits {
    std::uint64_t maxEntryBytes = std::uint64_t{8} << 30;  // 8 GiB
    double maxRatio = 1000.0;
    std::uint64_t ratioCheckMinBytes = std::uint64_t{1}
                                       << 20;  // tiny entries compress well legitimately
};

class ZipFileSource : public FileSource {
public:
    // Throw DataError naming the zip when it is missing, truncated, corrupt or unsafe.
    static std::unique_ptr<ZipFileSource> openFile(const std::filesystem::path& path,
                                                   const ZipLimits& limits = {});
    static std::unique_ptr<ZipFileSource> openBytes(std::string bytes, std::string displayName,
                                                    const ZipLimits& limits = {});
    ~ZipFileSource() override;

    bool exists(const std::string& name) const override;
    FileBytes read(const std::string& name) const override;
    std::vector<std::string> list() const override;
    std::string displayName() const override { return displayName_; }
    std::string displayNameOf(const std::string& name) const override {
        return displayName_ + ":" + name;
    }
    std::string releaseName() const override;
    std::optional<std::uint64_t> size(const std::string& name) const override;

private:
    struct Entry {
        std::uint64_t index = 0;
        std::uint64_t size = 0;
    };
    ZipFileSource() = default;
    void openSource(zip_source_t* source, zip_error_t& error, const ZipLimits& limits);
    void indexEntries(const ZipLimits& limits);

    zip_t* zip_ = nullptr;
    std::string bytes_;  // backing store of an in-memory archive (libzip reads from it)
    std::string displayName_;
    std::string topFolder_;
    std::map<std::string, Entry> entries_;  // relative name -> entry
    mutable std::mutex mutex_;              // a zip_t is not thread-safe
};

}  // namespace lens
