#include "io/JsonFile.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <limits>

#include "util/Errors.h"

namespace lens {

namespace {

using nlohmann::json;

// nlohmann's DOM builder with a nesting limit and the byte offset of the first error kept
// (its own parse() throws exceptions that lose the offset of an out-of-range number).
class LimitedDomParser : public nlohmann::detail::json_sax_dom_parser<json> {
    using Base = nlohmann::detail::json_sax_dom_parser<json>;

public:
    explicit LimitedDomParser(json& root) : Base(root, /*allow_exceptions=*/false) {}

    bool start_object(std::size_t size) { return enter() && Base::start_object(size); }
    bool end_object() { return leave() && Base::end_object(); }
    bool start_array(std::size_t size) { return enter() && Base::start_array(size); }
    bool end_array() { return leave() && Base::end_array(); }

    template <class Exception>
    bool parse_error(std::size_t position, const std::string& token, const Exception& ex) {
        if (reason.empty()) {
            offset = position;
            reason = ex.what();
            // "[json.exception.parse_error.101] parse error at line 3, column 19: syntax error
            // ..." -> "syntax error ...": the caller names the line.
            if (const auto end = reason.find("] "); reason.starts_with("[json.exception."))
                reason.erase(0, end == std::string::npos ? 0 : end + 2);
            if (reason.starts_with("parse error"))
                if (const auto colon = reason.find(": "); colon != std::string::npos)
                    reason.erase(0, colon + 2);
        }
        return Base::parse_error(position, token, ex);
    }

    std::size_t offset = 0;  // nlohmann's count of characters read when the error showed
    std::string reason;
    bool tooDeep = false;

private:
    bool enter() {
        if (++depth_ <= kMaxJsonDepth) return true;
        tooDeep = true;
        return false;
    }
    bool leave() {
        --depth_;
        return true;
    }
    std::size_t depth_ = 0;
};

[[noreturn]] void failWrite(const std::filesystem::path& path, std::string_view what, int error) {
    const std::string noun = what.empty() ? std::string() : " " + std::string(what);
    throw DataError(path.string(), 0, "cannot write" + noun + ": " + std::strerror(error));
}

}  // namespace

std::optional<json> parseJson(std::string_view text, JsonSyntaxError* error) {
    json root;
    LimitedDomParser parser(root);
    const bool ok = json::sax_parse(text.begin(), text.end(), &parser);
    if (ok && !parser.is_errored() && !parser.tooDeep) return root;
    if (error) {
        if (parser.tooDeep) {
            *error = {0, "nested more than " + std::to_string(kMaxJsonDepth) + " levels deep"};
        } else {
            const std::size_t before = std::min(parser.offset ? parser.offset - 1 : 0, text.size());
            const auto newlines = std::count(text.begin(), text.begin() + before, '\n');
            *error = {static_cast<std::size_t>(newlines) + 1, shortened(parser.reason, 200)};
        }
    }
    return std::nullopt;
}

int jsonInt(const json& value, int fallback) {
    constexpr int kMin = std::numeric_limits<int>::min(), kMax = std::numeric_limits<int>::max();
    if (value.is_number_unsigned()) {
        const auto v = value.get<std::uint64_t>();
        return v <= static_cast<std::uint64_t>(kMax) ? static_cast<int>(v) : fallback;
    }
    if (value.is_number_integer()) {
        const auto v = value.get<std::int64_t>();
        return v >= kMin && v <= kMax ? static_cast<int>(v) : fallback;
    }
    if (value.is_number_float()) {
        const double v = value.get<double>();
        // Compared as doubles first: casting an out-of-range double to int is undefined.
        if (v >= kMin && v <= kMax && v == std::floor(v)) return static_cast<int>(v);
    }
    return fallback;
}

json jsonNumber(double v) {
    if (!std::isfinite(v)) return nullptr;
    if (std::fabs(v) < 9007199254740992.0 && v == std::floor(v))
        return static_cast<std::int64_t>(v);
    return v;
}

std::string jsonFileText(const json& document) {
    return document.dump(4, ' ', /*ensure_ascii=*/false, json::error_handler_t::replace) + "\n";
}

std::string readWholeFile(const std::filesystem::path& path) {
    auto fail = [&](int error) -> std::string {
        throw DataError(path.string(), 0, std::string("cannot read: ") + std::strerror(error));
    };
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return fail(errno);
    std::string bytes;
    char buffer[65536];
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            const int error = errno;
            ::close(fd);
            return fail(error);
        }
        if (n == 0) break;
        bytes.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return bytes;
}

void writeFileAtomically(const std::filesystem::path& path, std::string_view bytes,
                         std::string_view what) {
    // Unique per process and call, beside the target (rename does not cross file systems).
    static std::atomic<unsigned> counter{0};
    std::filesystem::path temp = path;
    temp += ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0) failWrite(path, what, errno);
    auto abandon = [&](int error) {
        ::close(fd);
        ::unlink(temp.c_str());
        failWrite(path, what, error);
    };
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) abandon(n < 0 ? errno : EIO);
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) abandon(errno);
    if (::close(fd) != 0) {
        const int error = errno;
        ::unlink(temp.c_str());
        failWrite(path, what, error);
    }
    if (::rename(temp.c_str(), path.c_str()) != 0) {
        const int error = errno;
        ::unlink(temp.c_str());
        failWrite(path, what, error);
    }
}

std::string shortened(std::string_view text, std::size_t limit) {
    std::size_t characters = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        // A character starts at every byte that is not a UTF-8 continuation byte.
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && characters++ == limit)
            return std::string(text.substr(0, i)) + "…";
    }
    return std::string(text);
}

}  // namespace lens
