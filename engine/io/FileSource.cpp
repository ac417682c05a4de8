#include "io/FileSource.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "io/ZipFileSource.h"
#include "util/Errors.h"
#include "util/HugePages.h"

namespace lens {

namespace fs = std::filesystem;

std::string FileSource::displayNameOf(const std::string& name) const {
    return displayName() + "/" + name;
}

std::string FileSource::releaseName() const {
    fs::path p(displayName());
    while (!p.empty() && p.filename().empty()) p = p.parent_path();  // "dir/" -> "dir"
    return p.filename().string();
}

std::optional<std::uint64_t> FileSource::size(const std::string& name) const {
    if (!exists(name)) return std::nullopt;
    return read(name).content.size();
}

namespace {

class FolderFileSource : public FileSource {
public:
    explicit FolderFileSource(fs::path dir) : dir_(std::move(dir)) {}

    // Anything but a folder counts as present, broken symlinks and devices included, so that
    // reading it gives a clear error ("not a regular file") instead of "file is missing".
    bool exists(const std::string& name) const override {
        std::error_code ec;
        const auto status = fs::symlink_status(dir_ / name, ec);
        return !ec && fs::exists(status) && !fs::is_directory(fs::status(dir_ / name, ec));
    }

    FileBytes read(const std::string& name) const override {
        const fs::path path = dir_ / name;
        FileBytes out{displayNameOf(name), {}};
        checkRegular(name);
        // O_NONBLOCK: opening a FIFO must not wait for a writer (fstat below refuses it).
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
        if (fd < 0)
            throw DataError(out.name, 0, std::string("cannot open: ") + std::strerror(errno));
        struct stat st {};
        if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
            ::close(fd);
            throw DataError(out.name, 0, "not a regular file");
        }
        resizeHuge(out.content, static_cast<std::size_t>(st.st_size));
        std::size_t done = 0;
        while (done < out.content.size()) {
            const ssize_t got = ::read(fd, out.content.data() + done, out.content.size() - done);
            if (got < 0 && errno == EINTR) continue;
            if (got <= 0) break;
            done += static_cast<std::size_t>(got);
        }
        ::close(fd);
        out.content.resize(done);  // a file that shrank while reading is read as it is now
        return out;
    }

    std::vector<std::string> list() const override {
        std::vector<std::string> names;
        std::error_code ec;
        for (const auto& entry : fs::directory_iterator(dir_, ec))
            if (entry.is_regular_file(ec)) names.push_back(entry.path().filename().string());
        std::sort(names.begin(), names.end());
        return names;
    }

    std::string displayName() const override { return dir_.string(); }
    std::string displayNameOf(const std::string& name) const override {
        return (dir_ / name).string();
    }

    fs::path diskPath(const std::string& name) const override {
        return exists(name) ? dir_ / name : fs::path();
    }

    std::optional<std::uint64_t> size(const std::string& name) const override {
        if (!exists(name)) return std::nullopt;
        checkRegular(name);
        std::error_code ec;
        const auto bytes = fs::file_size(dir_ / name, ec);
        if (ec) throw DataError(displayNameOf(name), 0, "cannot read: " + ec.message());
        return bytes;
    }

private:
    // Throws a DataError naming the file when it is a broken or looping symlink, a device, a
    // FIFO or a socket (reading /dev/zero or a FIFO would never end).
    void checkRegular(const std::string& name) const {
        std::error_code ec;
        const auto status = fs::status(dir_ / name, ec);
        if (ec)
            throw DataError(
                displayNameOf(name), 0,
                "cannot open: " + ec.message() +
                    (fs::is_symlink(fs::symlink_status(dir_ / name, ec)) ? " (broken symbolic link)"
                                                                         : ""));
        if (!fs::is_regular_file(status))
            throw DataError(displayNameOf(name), 0,
                            "not a regular file (a device, FIFO or socket?)");
    }

    fs::path dir_;
};

class MemoryFileSource : public FileSource {
public:
    // Owns the files.
    MemoryFileSource(std::map<std::string, std::string> files, std::string name)
        : owned_(std::move(files)), files_(owned_), name_(std::move(name)) {}
    // Borrows a caller's map, which must outlive the source (no copy).
    MemoryFileSource(const std::map<std::string, std::string>* files, std::string name)
        : files_(*files), name_(std::move(name)) {}

    bool exists(const std::string& name) const override { return files_.count(name) > 0; }
    FileBytes read(const std::string& name) const override {
        auto it = files_.find(name);
        if (it == files_.end()) throw DataError(displayNameOf(name), 0, "no such file");
        return FileBytes{displayNameOf(name), it->second};
    }
    std::vector<std::string> list() const override {
        std::vector<std::string> names;
        for (const auto& [name, content] : files_) names.push_back(name);
        return names;
    }
    std::string displayName() const override { return name_; }
    std::string releaseName() const override { return name_; }
    std::optional<std::string_view> memoryView(const std::string& name) const override {
        auto it = files_.find(name);
        if (it == files_.end()) return std::nullopt;
        return std::string_view(it->second);
    }
    std::optional<std::uint64_t> size(const std::string& name) const override {
        auto it = files_.find(name);
        if (it == files_.end()) return std::nullopt;
        return it->second.size();
    }

private:
    std::map<std::string, std::string> owned_;
    const std::map<std::string, std::string>& files_;
    std::string name_;
};

bool startsWithZipMagic(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    char magic[4] = {};
    in.read(magic, 4);
    return in.gcount() == 4 && magic[0] == 'P' && magic[1] == 'K' &&
           ((magic[2] == 3 && magic[3] == 4) || (magic[2] == 5 && magic[3] == 6));
}

}  // namespace

std::unique_ptr<FileSource> FileSource::open(const fs::path& path) {
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (ec || !fs::exists(status)) throw DataError(path.string(), 0, "no such file or folder");
    if (fs::is_directory(status)) return std::make_unique<FolderFileSource>(path);
    if (fs::is_regular_file(status)) {
        std::string ext = path.extension().string();
        for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (ext == ".zip" || startsWithZipMagic(path)) return ZipFileSource::openFile(path);
        throw DataError(
            path.string(), 0,
            "not a folder or a .zip archive (expected a MovieLens release folder or its .zip)");
    }
    throw DataError(path.string(), 0, "not a folder or a .zip archive");
}

std::unique_ptr<FileSource> FileSource::fromMemory(std::map<std::string, std::string> files,
                                                   std::string name) {
    return std::make_unique<MemoryFileSource>(std::move(files), std::move(name));
}

std::unique_ptr<FileSource> FileSource::viewMemory(const std::map<std::string, std::string>& files,
                                                   std::string name) {
    return std::make_unique<MemoryFileSource>(&files, std::move(name));
}

std::unique_ptr<FileSource> FileSource::fromZipBytes(std::string zipBytes, std::string name) {
    return ZipFileSource::openBytes(std::move(zipBytes), std::move(name));
}

}  // namespace lens
