#pragma once
// Writes a .zip archive with libzip: the synthetic generator, the tests and the download
// feature build releases in the MovieLens zip shape ("ml-xyz/ratings.csv", ...). The archive is
// written to a temporary file beside the target and renamed into place, so a reader never sees
// half an archive.
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace lens {

enum class ZipCompression { Store, Deflate, Bzip2 };

struct ZipEntryData {
    std::string name;     // path inside the archive, e.g. "ml-latest-small/ratings.csv"
    std::string content;  // bytes
};

// Throws std::runtime_error when the archive cannot be written.
void writeZipFile(const std::filesystem::path& path, const std::vector<ZipEntryData>& entries,
                  ZipCompression compression = ZipCompression::Deflate);

// True when libzip was built with this compression method.
bool zipCompressionSupported(ZipCompression compression);

}  // namespace lens
