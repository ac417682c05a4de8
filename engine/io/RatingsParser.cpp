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

#include "io/RatingsLine.h"
#include "io/TextEncoding.h"
#include "util/Errors.h"

namespace lens {

namespace {

constexpr std::size_t kChunkBytes = std::size_t{512} << 10;  // per read, per thread: stays in L2
// Read past a piece's end to finish its last line, at first.
constexpr std::size_t kTailBytes = 4096;
using namespace ratings_line;

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

// Output of one piece, 32-bit or 64-bit ids. The sinks and states of neighbouring pieces sit
// side by side in vectors while two threads fill them (a count goes up on every line): each gets
// cache lines of its own (alignas(64)), else the two threads are slower than one.
struct alignas(64) CompactSink {
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

struct alignas(64) WideSink {
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

// State of one piece of the file: counts, problems with line numbers local to the piece.
struct alignas(64) PieceState {
    std::size_t lines = 0;
    std::size_t skipped = 0;
    std::vector<LocalProblem> problems;  // strict: at most one; lenient: the first few
    bool failed = false;                 // strict mode hit an error
    bool stop = false;                   // stop parsing (failed, cancelled, wide restart)
};

// Handles a line the fast loop refused (or an empty one). `line` excludes the '\n'.
template <RatingsSeparator Sep, class Sink>
void handleSlowLine(std::string_view line, Sink& sink, PieceState& state,
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
                       PieceState& state, const RatingsParseConfig& config) {
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

// What the threads share while parsing.
struct SharedState {
    std::atomic<bool> cancel{false};
    std::atomic<bool> wide{false};            // an id needs 64 bits: every piece stops
    std::atomic<std::size_t> firstFailed{};   // the first piece that failed (strict mode)
    std::atomic<std::uint64_t> doneBytes{0};  // bytes of the pieces finished, for progress
    std::uint64_t dataBytes = 0;
};

// One piece: the lines starting in [begin, end) of the file, read through `buffer` (a thread's,
// reused for all its pieces) in reads of `readBytes`.
template <RatingsSeparator Sep, class Sink>
void parseRange(const ByteRange& bytes, std::uint64_t begin, std::uint64_t end,
                bool beginIsLineStart, Sink& sink, PieceState& state,
                const RatingsParseConfig& config, SharedState& shared, std::size_t piece,
                bool reportProgress, char* buffer, std::size_t readBytes) {
    if (begin >= end) return;
    std::size_t carry = 0;  // bytes kept from the previous read
    std::uint64_t readPos = beginIsLineStart ? begin : begin - 1;  // file offset of the next read
    bool skipPartial = !beginIsLineStart;  // the line through `begin` belongs to the piece before
    bool skipOverlong = false;             // inside a too-long line already reported
    while (!state.stop) {
        // The rest of the piece, plus a little for its last line (more is read if that is
        // longer), so that a small piece does not read a whole chunk.
        const auto want = static_cast<std::size_t>(
            std::min<std::uint64_t>(readBytes, (end > readPos ? end - readPos : 0) + kTailBytes));
        const std::size_t got = bytes.readAt(readPos, buffer + carry, want);
        const std::uint64_t bufferStart = readPos - carry;  // file offset of buffer[0]
        readPos += got;
        const bool eof = readPos >= bytes.size || got == 0;
        std::size_t have = carry + got;
        // Sentinel: digit loops stop here; the padding after it is defined bytes.
        std::memset(buffer + have, 0, 1 + kPadding);
        const char* data = buffer;
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
        std::memmove(buffer, p, rest);
        carry = rest;
        if (reportProgress && config.progress && shared.dataBytes > 0) {
            const std::uint64_t here = std::min(readPos, end) - begin;
            const double fraction = static_cast<double>(shared.doneBytes.load() + here) /
                                    static_cast<double>(shared.dataBytes);
            if (!config.progress(std::min(1.0, fraction))) shared.cancel = true;
        }
        if (shared.cancel.load(std::memory_order_relaxed) ||
            shared.wide.load(std::memory_order_relaxed) ||
            shared.firstFailed.load(std::memory_order_relaxed) < piece)
            state.stop = true;
    }
    if (state.failed) {
        std::size_t expected = shared.firstFailed.load();
        while (piece < expected && !shared.firstFailed.compare_exchange_weak(expected, piece)) {
        }
    }
}

// Bytes of file per piece: one piece for one thread, else about eight pieces per thread (so a
// thread that the machine slows down holds back at most one piece), at least 8 MB each.
std::uint64_t pieceSize(const RatingsParseConfig& config, std::uint64_t dataBytes, int threads) {
    if (config.pieceBytes > 0) return config.pieceBytes;
    if (threads <= 1) return std::max<std::uint64_t>(dataBytes, 1);
    const std::uint64_t pieces = static_cast<std::uint64_t>(threads) * 8;
    return std::max<std::uint64_t>((dataBytes + pieces - 1) / pieces, std::uint64_t{8} << 20);
}

// The file is cut into pieces that the threads take in file order as they become free; each
// piece's ratings go to its own block (carved from its thread's storage) and its line count and
// problems to its own state, which are put together in file order afterwards.
template <RatingsSeparator Sep, class Sink>
RatingsParseResult parseAll(const ByteRange& bytes, const RatingsParseConfig& config) {
    int threads = config.threads > 0 ? config.threads : omp_get_max_threads();
    const std::uint64_t dataBytes =
        bytes.size > config.dataOffset ? bytes.size - config.dataOffset : 0;
    // Small inputs are not worth a second thread.
    if (dataBytes < (std::uint64_t{1} << 20)) threads = 1;
    threads = std::max(1, threads);
    const std::uint64_t pieceBytes = pieceSize(config, dataBytes, threads);
    const auto pieces = static_cast<std::size_t>(
        std::max<std::uint64_t>(1, (dataBytes + pieceBytes - 1) / pieceBytes));
    std::vector<Sink> sinks(pieces);
    std::vector<PieceState> states(pieces);
    SharedState shared;
    shared.firstFailed = pieces;
    shared.dataBytes = dataBytes;
    // Reads are at most kChunkBytes, and no more than the file holds (a small file gets a small
    // buffer).
    const auto readBytes = static_cast<std::size_t>(std::min<std::uint64_t>(
        kChunkBytes, bytes.size - std::min(bytes.size, config.dataOffset) + 1));

#pragma omp parallel num_threads(threads)
    {
        std::unique_ptr<char[]> buffer;  // this thread's, for all its pieces
        RatingBlock storage;             // this thread's blocks, packed one after the other
        const bool master = omp_get_thread_num() == 0;
#pragma omp for schedule(dynamic, 1)
        for (std::int64_t k = 0; k < static_cast<std::int64_t>(pieces); ++k) {
            const auto piece = static_cast<std::size_t>(k);
            PieceState& state = states[piece];
            Sink& sink = sinks[piece];
            if (shared.cancel || shared.wide || shared.firstFailed.load() < piece) continue;
            const std::uint64_t begin = config.dataOffset + pieceBytes * piece;
            const std::uint64_t end = std::min(begin + pieceBytes, bytes.size);
            try {
                if (!buffer)
                    buffer = std::make_unique_for_overwrite<char[]>(readBytes + kMaxLineBytes + 64 +
                                                                    1 + kPadding);
                if constexpr (std::is_same_v<Sink, CompactSink>) {
                    // Upper bounds on the rows: of all pieces, of this one (+1 for the line
                    // crossing its end).
                    if (!storage.storage)
                        storage = RatingBlock(dataBytes / minLineBytes(Sep) + 2 * pieces);
                    sink.block = storage.carve((end - begin) / minLineBytes(Sep) + 2);
                }
                parseRange<Sep>(bytes, begin, end, begin == config.dataOffset, sink, state, config,
                                shared, piece, master, buffer.get(), readBytes);
                if constexpr (std::is_same_v<Sink, CompactSink>) storage.size += sink.block.size;
            } catch (...) {
                // Out of memory inside a thread: reported after the region.
                state.failed = state.stop = true;
                state.problems.push_back({0, "out of memory"});
                shared.cancel = true;
            }
            if (sink.needWide) shared.wide = true;
            shared.doneBytes += end - begin;
            if (master && config.progress && !shared.cancel &&
                !config.progress(std::min(1.0, static_cast<double>(shared.doneBytes.load()) /
                                                   static_cast<double>(dataBytes))))
                shared.cancel = true;
        }
    }
    if (bytes.shrank)
        throw DataError(config.displayName, 0,
                        "file shrank while it was read (" + std::to_string(bytes.size) +
                            " bytes at the start); was it being written?");

    RatingsParseResult result;
    if (shared.wide && !shared.cancel) {
        result.wide = true;
        return result;  // the caller restarts with 64-bit ids, which finds any error too
    }
    std::size_t lineBase = config.firstLineNumber;
    for (auto& state : states) {
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
    if (shared.cancel) throw Cancelled();
    // Only the calling thread reports progress during the parse (it may have parsed few pieces
    // or none): report the end here.
    if (config.progress && !config.progress(1.0)) throw Cancelled();
    if constexpr (std::is_same_v<Sink, CompactSink>) {
        for (auto& sink : sinks)
            if (sink.block.size > 0) result.compact.blocks.push_back(std::move(sink.block));
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
