#include "io/ZipWriter.h"

#include <zip.h>

#include <cstdio>
#include <stdexcept>
#include <system_error>

namespace lens {

namespace {
zip_int32_t methodOf(ZipCompression compression) {
    switch (compression) {
        case ZipCompression::Store:
            return ZIP_CM_STORE;
        case ZipCompression::Deflate:
            return ZIP_CM_DEFLATE;
        case ZipCompression::Bzip2:
            return ZIP_CM_BZIP2;
    }
    return ZIP_CM_DEFLATE;
}
}  // namespace

bool zipCompressionSupported(ZipCompression compression) {
    return zip_compression_method_supported(methodOf(compression), 1) != 0;
}

void writeZipFile(const std::filesystem::path& path, const std::vector<ZipEntryData>& entries,
                  ZipCompression compression) {
    std::filesystem::path temp = path;
    temp += ".partial";
    std::error_code ec;
    std::filesystem::remove(temp, ec);
    if (entries.empty()) {
        // libzip writes no file for an empty archive: write the bare end-of-central-directory
        // record.
        static const char kEmptyZip[22] = {'P', 'K', 5, 6};
        std::FILE* out = std::fopen(temp.c_str(), "wb");
        const bool written =
            out && std::fwrite(kEmptyZip, 1, sizeof kEmptyZip, out) == sizeof kEmptyZip;
        const bool closed = out && std::fclose(out) == 0;  // closed even when the write failed
        if (!written || !closed) {
            std::filesystem::remove(temp, ec);
            throw std::runtime_error(path.string() + ": cannot write the empty zip archive");
        }
        std::filesystem::rename(temp, path, ec);
        if (ec)
            throw std::runtime_error(path.string() +
                                     ": cannot rename the finished archive into place");
        return;
    }
    int errorCode = 0;
    zip_t* zip = zip_open(temp.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &errorCode);
    if (!zip) {
        zip_error_t error;
        zip_error_init_with_code(&error, errorCode);
        const std::string text = zip_error_strerror(&error);
        zip_error_fini(&error);
        throw std::runtime_error(path.string() + ": cannot create zip archive: " + text);
    }
    auto fail = [&](const std::string& what) {
        const std::string text = what + ": " + zip_strerror(zip);
        zip_discard(zip);
        std::filesystem::remove(temp, ec);
        throw std::runtime_error(path.string() + ": " + text);
    };
    for (const auto& entry : entries) {
        // The buffers stay alive until zip_close, which is when libzip reads them.
        zip_source_t* source =
            zip_source_buffer(zip, entry.content.data(), entry.content.size(), 0);
        if (!source) fail("cannot add " + entry.name);
        const zip_int64_t index =
            zip_file_add(zip, entry.name.c_str(), source, ZIP_FL_OVERWRITE | ZIP_FL_ENC_UTF_8);
        if (index < 0) {
            zip_source_free(source);
            fail("cannot add " + entry.name);
        }
        if (zip_set_file_compression(zip, static_cast<zip_uint64_t>(index), methodOf(compression),
                                     0) != 0)
            fail("cannot set compression of " + entry.name);
    }
    if (zip_close(zip) != 0) fail("cannot write");
    std::filesystem::rename(temp, path, ec);
    if (ec) {
        std::filesystem::remove(temp, ec);
        throw std::runtime_error(path.string() + ": cannot rename the finished archive into place");
    }
}

}  // namespace lens
