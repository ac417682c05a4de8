#include "io/ZipFileSource.h"

#include <zip.h>

#include <algorithm>
#include <cstdio>

#include "io/TextEncoding.h"
#include "util/Errors.h"

namespace lens {

namespace {

std::string zipErrorText(zip_error_t* error) {
    const char* text = zip_error_strerror(error);
    return text ? text : "unknown libzip error";
}

bool isUnsafeEntryName(const std::string& name) {
    if (name.empty()) return false;
    if (name.front() == '/' || name.front() == '\\') return true;
    if (name.size() > 1 && name[1] == ':') return true;  // "C:..."
    // Any ".." path component, with either separator.
    std::size_t start = 0;
    while (start <= name.size()) {
        std::size_t end = name.find_first_of("/\\", start);
        if (end == std::string::npos) end = name.size();
        if (name.compare(start, end - start, "..") == 0) return true;
        start = end + 1;
    }
    return false;
}

std::string formatBytes(std::uint64_t bytes) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
    return buf;
}

}  // namespace

ZipFileSource::~ZipFileSource() {
    if (zip_) zip_discard(zip_);
}

// Opens the archive from a libzip source made by open() or openBytes() (null when making it
// failed, with `error` set); takes ownership of the source and of `error`'s cleanup.
void ZipFileSource::openSource(zip_source_t* source, zip_error_t& error, const ZipLimits& limits) {
    if (!source) {
        const std::string text = zipErrorText(&error);
        zip_error_fini(&error);
        throw DataError(displayName_, 0, "cannot open zip archive: " + text);
    }
    zip_ = zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error);
    if (!zip_) {
        zip_source_free(source);
        const std::string text = zipErrorText(&error);
        zip_error_fini(&error);
        throw DataError(displayName_, 0,
                        "not a valid zip archive (truncated or corrupt?): " + text);
    }
    zip_error_fini(&error);
    indexEntries(limits);
}

std::unique_ptr<ZipFileSource> ZipFileSource::openFile(const std::filesystem::path& path,
                                                       const ZipLimits& limits) {
    std::unique_ptr<ZipFileSource> self(new ZipFileSource());
    self->displayName_ = path.string();
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source = zip_source_file_create(path.c_str(), 0, -1, &error);
    self->openSource(source, error, limits);
    return self;
}

std::unique_ptr<ZipFileSource> ZipFileSource::openBytes(std::string bytes, std::string displayName,
                                                        const ZipLimits& limits) {
    std::unique_ptr<ZipFileSource> self(new ZipFileSource());
    self->displayName_ = std::move(displayName);
    self->bytes_ = std::move(bytes);
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source =
        zip_source_buffer_create(self->bytes_.data(), self->bytes_.size(), 0, &error);
    self->openSource(source, error, limits);
    return self;
}

void ZipFileSource::indexEntries(const ZipLimits& limits) {
    const zip_int64_t count = zip_get_num_entries(zip_, 0);
    struct Found {
        std::string name;
        Entry entry;
    };
    std::vector<Found> files;
    for (zip_int64_t i = 0; i < count; ++i) {
        zip_stat_t st;
        zip_stat_init(&st);
        if (zip_stat_index(zip_, static_cast<zip_uint64_t>(i), 0, &st) != 0 ||
            !(st.valid & ZIP_STAT_NAME))
            throw DataError(displayName_, 0,
                            "corrupt zip archive: cannot read entry " + std::to_string(i));
        const std::string name = st.name;
        if (isUnsafeEntryName(name))
            throw DataError(displayName_, 0,
                            "refusing zip entry '" + excerptForMessage(name, 80) +
                                "': unsafe path (\"../\" or absolute)");
        if (name.empty() || name.back() == '/' || name.rfind("__MACOSX/", 0) == 0) continue;
        zip_uint8_t system = 0;
        zip_uint32_t attributes = 0;
        if (zip_file_get_external_attributes(zip_, static_cast<zip_uint64_t>(i), 0, &system,
                                             &attributes) == 0 &&
            system == ZIP_OPSYS_UNIX && ((attributes >> 16) & 0170000) == 0120000)
            throw DataError(
                displayName_, 0,
                "refusing zip entry '" + excerptForMessage(name, 80) + "': a symbolic link");
        const std::uint64_t size = (st.valid & ZIP_STAT_SIZE) ? st.size : 0;
        const std::uint64_t packed = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
        if (size > limits.maxEntryBytes)
            throw DataError(displayName_, 0,
                            "refusing zip entry '" + excerptForMessage(name, 80) +
                                "': declared size " + formatBytes(size) + " exceeds the limit of " +
                                formatBytes(limits.maxEntryBytes));
        if (size >= limits.ratioCheckMinBytes &&
            static_cast<double>(size) >
                limits.maxRatio * static_cast<double>(std::max<std::uint64_t>(packed, 1)))
            throw DataError(
                displayName_, 0,
                "refusing zip entry '" + excerptForMessage(name, 80) + "': compression ratio " +
                    std::to_string(size / std::max<std::uint64_t>(packed, 1)) + ":1 is beyond " +
                    std::to_string(static_cast<long long>(limits.maxRatio)) + ":1 (zip bomb?)");
        files.push_back({name, Entry{static_cast<std::uint64_t>(i), size}});
    }
    // A single top folder shared by every file is the release root.
    if (!files.empty()) {
        const std::size_t slash = files.front().name.find('/');
        if (slash != std::string::npos) {
            const std::string top = files.front().name.substr(0, slash + 1);
            const bool shared = std::all_of(files.begin(), files.end(), [&](const Found& f) {
                return f.name.rfind(top, 0) == 0;
            });
            if (shared) topFolder_ = top;
        }
    }
    for (auto& f : files) entries_[f.name.substr(topFolder_.size())] = f.entry;
}

bool ZipFileSource::exists(const std::string& name) const {
    return entries_.count(name) > 0;
}

std::optional<std::uint64_t> ZipFileSource::size(const std::string& name) const {
    auto it = entries_.find(name);
    if (it == entries_.end()) return std::nullopt;
    return it->second.size;
}

std::vector<std::string> ZipFileSource::list() const {
    std::vector<std::string> names;
    for (const auto& [name, entry] : entries_)
        if (name.find('/') == std::string::npos) names.push_back(name);
    return names;
}

std::string ZipFileSource::releaseName() const {
    std::filesystem::path p(displayName_);
    std::string stem = p.stem().string();
    if (!stem.empty()) return stem;
    return topFolder_.empty() ? displayName_ : topFolder_.substr(0, topFolder_.size() - 1);
}

FileBytes ZipFileSource::read(const std::string& name) const {
    FileBytes out{displayNameOf(name), {}};
    auto it = entries_.find(name);
    if (it == entries_.end()) throw DataError(out.name, 0, "no such entry in the zip archive");
    std::lock_guard lock(mutex_);
    zip_file_t* file = zip_fopen_index(zip_, it->second.index, 0);
    if (!file) {
        throw DataError(
            out.name, 0,
            std::string("cannot read zip entry: ") + zip_error_strerror(zip_get_error(zip_)));
    }
    out.content.resize(static_cast<std::size_t>(it->second.size));
    std::size_t done = 0;
    std::string failure;
    while (done < out.content.size()) {
        const zip_int64_t got =
            zip_fread(file, out.content.data() + done, out.content.size() - done);
        if (got < 0) {
            failure =
                std::string("corrupt zip entry: ") + zip_error_strerror(zip_file_get_error(file));
            break;
        }
        if (got == 0) {
            failure = "truncated zip entry: " + std::to_string(done) + " of " +
                      std::to_string(out.content.size()) + " bytes";
            break;
        }
        done += static_cast<std::size_t>(got);
    }
    if (failure.empty()) {
        // Reading past the declared end checks the CRC and catches entries longer than declared.
        char extra = 0;
        const zip_int64_t got = zip_fread(file, &extra, 1);
        if (got < 0)
            failure =
                std::string("corrupt zip entry: ") + zip_error_strerror(zip_file_get_error(file));
        else if (got > 0)
            failure = "zip entry is longer than its declared size";
    }
    zip_fclose(file);
    if (!failure.empty()) throw DataError(out.name, 0, failure);
    return out;
}

}  // namespace lens
