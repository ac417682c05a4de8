#include "io/RatingsParser.h"

#include <fcntl.h>
#include <omp.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <limits>
#include <memory>
#include <type_traits>

#include "io/TextEncoding.h"
#include "util/Errors.h"

namespace lens {

namespace {

constexpr std::size_t kChunkBytes = std::size_t{512} << 10;  // per read, per thread: stays in L2
constexpr std::uint64_t kInt64Max =
    static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());

std::string_view separatorText(RatingsSeparator sep) {
    switch (sep) {
        case RatingsSeparator::Comma:
            return ",";
        case RatingsSeparator::Tab:
            return "\t";
        case RatingsSeparator::DoubleColon:
            return "::";
    }
    return ",";
}

// Shortest possible line with a rating ("1,1,1,1\n"), to bound the rows a range can hold.
std::size_t minLineBytes(RatingsSeparator sep) {
    return sep == RatingsSeparator::DoubleColon ? 11 : 8;
}

bool allDigits(std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string checkId(std::string_view field, const char* what) {
    if (field.empty()) return std::string("empty ") + what;
    if (field.front() == '-' && allDigits(field.substr(1)))
        return std::string(what) + " " + excerptForMessage(field) + " is negative";
    if (!allDigits(field))
        return std::string(what) + " '" + excerptForMessage(field) + "' is not a number";
    std::uint64_t value = 0;
    auto [ptr, ec] = std::from_chars(field.data(), field.data() + field.size(), value);
    if (ec != std::errc() || value > kInt64Max)
        return std::string(what) + " " + excerptForMessage(field) +
               " is out of range (above 2^63-1)";
    return {};
}

}  // namespace

std::string diagnoseRatingsLine(std::string_view line, RatingsSeparator separator) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() > kMaxLineBytes)
        return "line is " + std::to_string(line.size()) + " bytes long (limit " +
               std::to_string(kMaxLineBytes) + ")";
    if (line.find('\0') != std::string_view::npos) return "line contains a NUL byte";
    const std::string_view sep = separatorText(separator);
    const std::vector<std::string_view> fields = splitFields(line, sep);
    if (fields.size() != 4)
        return "expected 4 fields (user, movie, rating, timestamp) separated by '" +
               std::string(separator == RatingsSeparator::Tab ? "\\t" : sep) + "', found " +
               std::to_string(fields.size());
    if (auto problem = checkId(fields[0], "user id"); !problem.empty()) return problem;
    if (auto problem = checkId(fields[1], "movie id"); !problem.empty()) return problem;
    const std::string_view rating = fields[2];
    double value = 0;
    auto [ptr, ec] = std::from_chars(rating.data(), rating.data() + rating.size(), value);
    if (rating.empty() || ec != std::errc() || ptr != rating.data() + rating.size() ||
        !(value == value))
        return "rating '" + excerptForMessage(rating) + "' is not a number";
    if (value < 0.5 || value > 5.0)
        return "rating " + excerptForMessage(rating) + " is outside 0.5-5";
    if (value * 2 != static_cast<double>(static_cast<int>(value * 2)))
        return "rating " + excerptForMessage(rating) +
               " is not a half-star step (a multiple of 0.5)";
    const std::size_t dot = rating.find('.');
    if (!allDigits(rating.substr(0, dot)) ||
        (dot != std::string_view::npos && !allDigits(rating.substr(dot + 1))))
        return "rating '" + excerptForMessage(rating) + "' is not written as digits[.digits]";
    const std::string_view ts = fields[3];
    if (!allDigits(ts))
        return "timestamp '" + excerptForMessage(ts) + "' is not a non-negative integer";
    std::uint64_t t = 0;
    auto [tp, tec] = std::from_chars(ts.data(), ts.data() + ts.size(), t);
    if (tec != std::errc() || t > std::numeric_limits<std::uint32_t>::max())
        return "timestamp " + excerptForMessage(ts) + " is out of range (after 2106)";
    return {};
}

namespace {

// Output of one thread, 32-bit or 64-bit ids.
struct CompactSink {
    RatingBlock block;
    bool needWide = false;
    // Returns false when an id does not fit 32 bits: the caller restarts with 64-bit ids.
    bool put(std::uint64_t user, std::uint64_t movie, HalfStars h, std::uint32_t t) {
        if ((user | movie) > std::numeric_limits<std::uint32_t>::max()) {
            needWide = true;
            return false;
        }
        block.push(static_cast<std::uint32_t>(user), static_cast<std::uint32_t>(movie), h, t);
        return true;
    }
};

struct WideSink {
    RawRatings raw;
    bool needWide = false;
    bool put(std::uint64_t user, std::uint64_t movie, HalfStars h, std::uint32_t t) {
        raw.push(static_cast<std::int64_t>(user), static_cast<std::int64_t>(movie), h, t);
        return true;
    }
};

struct LocalProblem {
    std::size_t line;  // local to the thread, 1-based
    std::string text;
};

// Per-thread state: counts, problems with local line numbers.
struct ThreadState {
    std::size_t lines = 0;
    std::size_t skipped = 0;
    std::vector<LocalProblem> problems;  // strict: at most one; lenient: the first few
    bool failed = false;                 // strict mode hit an error
    bool stop = false;                   // stop parsing (failed, cancelled, wide restart)
};

// Bytes readable past the sentinel that ends every buffer the line parser sees: it loads 8
// bytes at a time and may look past the line end (never past this padding).
constexpr std::size_t kPadding = 16;

static_assert(std::endian::native == std::endian::little,
              "the digit scanner assumes little-endian");

inline std::uint64_t load8(const char* p) {
    std::uint64_t w;
    std::memcpy(&w, p, sizeof w);
    return w;
}

// Nonzero in each byte of w (little-endian: byte 0 is p[0]) that is not an ASCII digit, in
// every byte up to the first such one at least (a carry may mark bytes after it too).
inline std::uint64_t nonDigitBytes(std::uint64_t w) {
    constexpr std::uint64_t kHigh = 0xF0F0F0F0F0F0F0F0, kSix = 0x0606060606060606;
    // A digit is 0x30..0x39: high nibble 3, and adding 6 keeps it 3.
    return ((w & kHigh) | (((w + kSix) & kHigh) >> 4)) ^ 0x3333333333333333;
}

// The value of 8 digit values (0..9, one per byte, most significant in byte 0).
inline std::uint64_t eightDigits(std::uint64_t v) {
    v = v * 10 + (v >> 8);
    return ((v & 0x000000FF000000FF) * (100 + (std::uint64_t{1000000} << 32)) +
            ((v >> 16) & 0x000000FF000000FF) * (1 + (std::uint64_t{10000} << 32))) >>
           32;
}

// Reads an unsigned decimal of at most 19 digits ending at a non-digit; false if none or too
// long. Up to 8 digits take one 8-byte load and no branch per digit (ids are 1 to 6 digits
// long, so a loop per digit mispredicts its end on most fields).
[[gnu::always_inline]] inline bool readUnsigned(const char*& p, std::uint64_t& value) {
    constexpr std::uint64_t kLow = 0x0F0F0F0F0F0F0F0F;
    const std::uint64_t w = load8(p);
    const std::uint64_t stop = nonDigitBytes(w);
    if (stop != 0) {
        const unsigned digits = static_cast<unsigned>(__builtin_ctzll(stop)) >> 3;
        if (digits == 0) return false;
        // Shift the digits to the top bytes: the bytes below become leading zeros.
        value = eightDigits((w & kLow) << (64 - 8 * digits));
        p += digits;
        return true;
    }
    std::uint64_t v = eightDigits(w & kLow);
    const char* start = p;
    p += 8;
    while (static_cast<unsigned>(*p - '0') < 10) {
        v = v * 10 + static_cast<unsigned>(*p - '0');
        ++p;
    }
    value = v;
    return p - start <= 19;
}

template <RatingsSeparator Sep>
inline bool readSeparator(const char*& p) {
    if constexpr (Sep == RatingsSeparator::Comma) {
        if (*p != ',') return false;
        ++p;
    } else if constexpr (Sep == RatingsSeparator::Tab) {
        if (*p != '\t') return false;
        ++p;
    } else {
        if (p[0] != ':' || p[1] != ':') return false;
        p += 2;
    }
    return true;
}

// The first byte of a separator.
template <RatingsSeparator Sep>
constexpr char separatorChar() {
    return Sep == RatingsSeparator::Comma ? ',' : Sep == RatingsSeparator::Tab ? '\t' : ':';
}

// The rest of a line after its rating (at q): separator, timestamp, line end. On success sets
// p past the line end and the outputs.
template <RatingsSeparator Sep>
inline bool finishLine(const char* q, const char*& p, unsigned h, HalfStars& half,
                       std::uint32_t& ts) {
    if (!readSeparator<Sep>(q)) return false;
    std::uint64_t t = 0;
    if (!readUnsigned(q, t) || t > std::numeric_limits<std::uint32_t>::max()) return false;
    if (*q == '\r') ++q;
    if (*q != '\n') return false;
    p = q + 1;
    half = static_cast<HalfStars>(h);
    ts = static_cast<std::uint32_t>(t);
    return true;
}

// Parses one line starting at p that is known to contain a '\n'. On success returns true and
// sets p past the line end.
template <RatingsSeparator Sep>
inline bool parseLineFast(const char*& p, std::uint64_t& user, std::uint64_t& movie,
                          HalfStars& half, std::uint32_t& ts) {
    const char* q = p;
    if (!readUnsigned(q, user) || user > kInt64Max || !readSeparator<Sep>(q)) return false;
    if (!readUnsigned(q, movie) || movie > kInt64Max || !readSeparator<Sep>(q)) return false;
    // Rating: digits, optionally '.', a 0 or 5, then only zeros. "d.0" and "d.5" first.
    if (static_cast<unsigned>(q[0] - '0') < 10 && q[1] == '.' && (q[2] == '0' || q[2] == '5') &&
        q[3] == separatorChar<Sep>()) {
        const unsigned h = static_cast<unsigned>(q[0] - '0') * 2 + (q[2] == '5');
        if (h < 1 || h > 10) return false;
        q += 3;
        return finishLine<Sep>(q, p, h, half, ts);
    }
    unsigned whole = 0;
    int wholeDigits = 0;
    while (static_cast<unsigned>(*q - '0') < 10 && wholeDigits < 3) {
        whole = whole * 10 + static_cast<unsigned>(*q - '0');
        ++q;
        ++wholeDigits;
    }
    if (wholeDigits == 0) return false;
    unsigned h = whole * 2;
    if (*q == '.') {
        ++q;
        if (*q == '5')
            ++h;
        else if (*q != '0')
            return false;
        ++q;
        while (*q == '0') ++q;
    }
    if (h < 1 || h > 10) return false;
    return finishLine<Sep>(q, p, h, half, ts);
}

// Handles a line the fast loop refused (or an empty one). `line` excludes the '\n'.
template <RatingsSeparator Sep, class Sink>
void handleSlowLine(std::string_view line, Sink& sink, ThreadState& state,
                    const RatingsParseConfig& config) {
    std::string_view trimmed = line;
    if (!trimmed.empty() && trimmed.back() == '\r') trimmed.remove_suffix(1);
    if (trimmed.empty()) return;  // blank lines are ignored
    std::string problem = diagnoseRatingsLine(line, Sep);
    if (problem.empty()) {
        // Valid but refused by the fast loop: a 64-bit id, or a rating like "3.50" spelled oddly.
        std::string copy(trimmed);
        copy.push_back('\n');
        copy.append(kPadding, '\0');
        const char* p = copy.c_str();
        std::uint64_t user = 0, movie = 0;
        HalfStars half = 0;
        std::uint32_t ts = 0;
        if (parseLineFast<Sep>(p, user, movie, half, ts)) {
            if (!sink.put(user, movie, half, ts)) state.stop = true;
            return;
        }
        problem = "malformed line";
    }
    if (!config.lenient) {
        state.problems.push_back({state.lines, std::move(problem)});
        state.failed = state.stop = true;
        return;
    }
    ++state.skipped;
    if (state.problems.size() < config.maxWarnings)
        state.problems.push_back({state.lines, std::move(problem)});
}

// Parses the complete lines of [p, end) (end is just past a '\n') whose start is before
// `startLimit`. Returns where it stopped.
template <RatingsSeparator Sep, class Sink>
const char* parseLines(const char* p, const char* end, const char* startLimit, Sink& sink,
                       ThreadState& state, const RatingsParseConfig& config) {
    std::uint64_t user = 0, movie = 0;
    HalfStars half = 0;
    std::uint32_t ts = 0;
    while (p < end && p < startLimit && !state.stop) {
        ++state.lines;
        if (parseLineFast<Sep>(p, user, movie, half, ts)) {
            if (!sink.put(user, movie, half, ts)) {
                state.stop = true;
                break;
            }
            continue;
        }
        const char* nl =
            static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
        handleSlowLine<Sep>(std::string_view(p, static_cast<std::size_t>(nl - p)), sink, state,
                            config);
        p = nl + 1;
    }
    return p;
}

// Where the bytes come from: a file descriptor (pread) or memory (copied in pieces, so both
// paths share one driver and the parser always sees a writable buffer with a sentinel).
struct ByteRange {
    int fd = -1;
    std::string_view memory;
    std::uint64_t size = 0;
    // Set when a read ends before the size measured at the start: the file shrank while it was
    // read (being rewritten?). The parse then fails with that, not with a cut last line.
    mutable std::atomic<bool> shrank{false};

    std::size_t readAt(std::uint64_t offset, char* buffer, std::size_t bytes) const {
        if (offset >= size) return 0;
        bytes = static_cast<std::size_t>(std::min<std::uint64_t>(bytes, size - offset));
        if (fd < 0) {
            std::memcpy(buffer, memory.data() + offset, bytes);
            return bytes;
        }
        std::size_t done = 0;
        while (done < bytes) {
            const ssize_t got =
                ::pread(fd, buffer + done, bytes - done, static_cast<off_t>(offset + done));
            if (got < 0 && errno == EINTR) continue;
            if (got <= 0) break;
            done += static_cast<std::size_t>(got);
        }
        if (done < bytes) shrank = true;
        return done;
    }
};

// One thread's share: the lines starting in [begin, end) of the file.
template <RatingsSeparator Sep, class Sink>
void parseRange(const ByteRange& bytes, std::uint64_t begin, std::uint64_t end,
                bool beginIsLineStart, Sink& sink, ThreadState& state,
                const RatingsParseConfig& config, std::atomic<bool>& cancel,
                std::atomic<int>& firstFailedThread, int thread, bool reportProgress) {
    if (begin >= end) return;
    std::size_t carry = 0;  // bytes kept from the previous read
    std::uint64_t readPos = beginIsLineStart ? begin : begin - 1;  // file offset of the next read
    // Reads are at most kChunkBytes, and no more than the file holds from here (a small file
    // gets a small buffer).
    const std::size_t chunk =
        static_cast<std::size_t>(std::min<std::uint64_t>(kChunkBytes, bytes.size - readPos + 1));
    const std::size_t capacity = chunk + kMaxLineBytes + 64;
    auto buffer = std::make_unique_for_overwrite<char[]>(capacity + 1 + kPadding);
    bool skipPartial = !beginIsLineStart;  // the line through `begin` belongs to the thread before
    bool skipOverlong = false;             // inside a too-long line already reported
    while (!state.stop) {
        const std::size_t got = bytes.readAt(readPos, buffer.get() + carry, chunk);
        const std::uint64_t bufferStart = readPos - carry;  // file offset of buffer[0]
        readPos += got;
        const bool eof = readPos >= bytes.size || got == 0;
        std::size_t have = carry + got;
        // Sentinel: digit loops stop here; the padding after it is defined bytes.
        std::memset(buffer.get() + have, 0, 1 + kPadding);
        const char* data = buffer.get();
        const char* dataEnd = data + have;
        const char* p = data;
        carry = 0;
        if (skipPartial || skipOverlong) {
            const char* nl = static_cast<const char*>(std::memchr(p, '\n', have));
            if (!nl) {
                if (eof) break;
                continue;  // still inside that line
            }
            p = nl + 1;
            skipPartial = skipOverlong = false;
        }
        auto offsetOf = [&](const char* at) {
            return bufferStart + static_cast<std::uint64_t>(at - data);
        };
        if (offsetOf(p) >= end) break;  // the next line starts past our range
        const char* startLimit = data + std::min<std::uint64_t>(end - bufferStart, have);
        const char* lastNl =
            static_cast<const char*>(memrchr(p, '\n', static_cast<std::size_t>(dataEnd - p)));
        if (lastNl) p = parseLines<Sep>(p, lastNl + 1, startLimit, sink, state, config);
        if (state.stop || offsetOf(p) >= end) break;
        const std::size_t rest = static_cast<std::size_t>(dataEnd - p);
        if (eof) {
            if (rest > 0) {  // last line without a line end
                ++state.lines;
                std::string tail(p, rest);
                tail.push_back('\n');
                tail.append(kPadding, '\0');
                const char* tp = tail.c_str();
                std::uint64_t user = 0, movie = 0;
                HalfStars half = 0;
                std::uint32_t ts = 0;
                if (parseLineFast<Sep>(tp, user, movie, half, ts)) {
                    if (!sink.put(user, movie, half, ts)) state.stop = true;
                } else {
                    handleSlowLine<Sep>(std::string_view(p, rest), sink, state, config);
                }
            }
            break;
        }
        if (rest > kMaxLineBytes) {
            // A line longer than any MovieLens line: report it and skip to its end.
            ++state.lines;
            handleSlowLine<Sep>(std::string_view(p, rest), sink, state, config);
            skipOverlong = true;
            continue;
        }
        std::memmove(buffer.get(), p, rest);
        carry = rest;
        if (reportProgress && config.progress) {
            const double fraction =
                static_cast<double>(readPos - begin) / static_cast<double>(end - begin);
            if (!config.progress(std::min(1.0, fraction))) cancel = true;
        }
        if (cancel.load(std::memory_order_relaxed)) state.stop = true;
        if (firstFailedThread.load(std::memory_order_relaxed) < thread) state.stop = true;
    }
    if (state.failed) {
        int expected = firstFailedThread.load();
        while (thread < expected && !firstFailedThread.compare_exchange_weak(expected, thread)) {
        }
    }
}

template <RatingsSeparator Sep, class Sink>
RatingsParseResult parseAll(const ByteRange& bytes, const RatingsParseConfig& config) {
    int threads = config.threads > 0 ? config.threads : omp_get_max_threads();
    const std::uint64_t dataBytes =
        bytes.size > config.dataOffset ? bytes.size - config.dataOffset : 0;
    // Small inputs are not worth a second thread.
    if (dataBytes < (std::uint64_t{1} << 20)) threads = 1;
    threads = std::max(1, threads);
    std::vector<Sink> sinks(static_cast<std::size_t>(threads));
    std::vector<ThreadState> states(static_cast<std::size_t>(threads));
    std::atomic<bool> cancel{false};
    std::atomic<int> firstFailedThread{threads};
    int used = threads;

#pragma omp parallel num_threads(threads)
    {
        const int nt = omp_get_num_threads();
        const int t = omp_get_thread_num();
#pragma omp single
        used = nt;
        const std::uint64_t begin =
            config.dataOffset + dataBytes * static_cast<std::uint64_t>(t) / nt;
        const std::uint64_t end =
            config.dataOffset + dataBytes * static_cast<std::uint64_t>(t + 1) / nt;
        Sink& sink = sinks[static_cast<std::size_t>(t)];
        if constexpr (std::is_same_v<Sink, CompactSink>) {
            // Upper bound on the rows of the range (+1 for the line crossing its end).
            sink.block = RatingBlock((end - begin) / minLineBytes(Sep) + 2);
        }
        try {
            parseRange<Sep>(bytes, begin, end, begin == config.dataOffset, sink,
                            states[static_cast<std::size_t>(t)], config, cancel, firstFailedThread,
                            t, t == 0);
        } catch (...) {
            // Out of memory inside a thread: reported after the region.
            states[static_cast<std::size_t>(t)].failed = states[static_cast<std::size_t>(t)].stop =
                true;
            states[static_cast<std::size_t>(t)].problems.push_back({0, "out of memory"});
            cancel = true;
        }
    }
    sinks.resize(static_cast<std::size_t>(used));
    states.resize(static_cast<std::size_t>(used));
    if (bytes.shrank)
        throw DataError(config.displayName, 0,
                        "file shrank while it was read (" + std::to_string(bytes.size) +
                            " bytes at the start); was it being written?");

    RatingsParseResult result;
    bool needWide = false;
    for (auto& sink : sinks) needWide = needWide || sink.needWide;
    if (needWide && !cancel) {
        result.wide = true;
        return result;  // the caller restarts with 64-bit ids, which finds any error too
    }
    std::size_t lineBase = config.firstLineNumber;
    for (std::size_t t = 0; t < states.size(); ++t) {
        auto& state = states[t];
        for (auto& problem : state.problems) {
            const std::size_t line = problem.line ? lineBase + problem.line - 1 : 0;
            if (state.failed) throw DataError(config.displayName, line, problem.text);
            if (result.warnings.size() < config.maxWarnings)
                result.warnings.push_back(
                    DataError::format(config.displayName, line, problem.text));
        }
        lineBase += state.lines;
        result.lines += state.lines;
        result.skippedLines += state.skipped;
    }
    if (cancel) throw Cancelled();
    if constexpr (std::is_same_v<Sink, CompactSink>) {
        for (auto& sink : sinks) result.compact.blocks.push_back(std::move(sink.block));
    } else {
        result.wide = true;
        std::size_t total = 0;
        for (auto& sink : sinks) total += sink.raw.size();
        result.raw.reserve(total);
        for (auto& sink : sinks) result.raw.append(sink.raw);
    }
    return result;
}

template <class Sink>
RatingsParseResult parseWith(const ByteRange& bytes, const RatingsParseConfig& config) {
    switch (config.separator) {
        case RatingsSeparator::Comma:
            return parseAll<RatingsSeparator::Comma, Sink>(bytes, config);
        case RatingsSeparator::Tab:
            return parseAll<RatingsSeparator::Tab, Sink>(bytes, config);
        case RatingsSeparator::DoubleColon:
            return parseAll<RatingsSeparator::DoubleColon, Sink>(bytes, config);
    }
    return {};
}

RatingsParseResult parseBytes(const ByteRange& bytes, const RatingsParseConfig& config) {
    RatingsParseResult result = parseWith<CompactSink>(bytes, config);
    if (!result.wide) return result;
    return parseWith<WideSink>(bytes, config);
}

}  // namespace

RatingsParseResult parseRatingsFile(const std::filesystem::path& path,
                                    const RatingsParseConfig& config) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw DataError(config.displayName, 0, std::string("cannot open: ") + std::strerror(errno));
    ByteRange bytes;
    bytes.fd = fd;
    const off_t size = ::lseek(fd, 0, SEEK_END);
    bytes.size = size > 0 ? static_cast<std::uint64_t>(size) : 0;
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    try {
        RatingsParseResult result = parseBytes(bytes, config);
        ::close(fd);
        return result;
    } catch (...) {
        ::close(fd);
        throw;
    }
}

RatingsParseResult parseRatingsMemory(std::string_view data, const RatingsParseConfig& config) {
    ByteRange bytes;
    bytes.memory = data;
    bytes.size = data.size();
    return parseBytes(bytes, config);
}

std::vector<std::string_view> splitFields(std::string_view line, std::string_view sep) {
    std::vector<std::string_view> fields;
    for (std::size_t start = 0;;) {
        const std::size_t at = line.find(sep, start);
        fields.push_back(
            line.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
        if (at == std::string_view::npos) break;
        start = at + sep.size();
    }
    return fields;
}

}  // namespace lens
