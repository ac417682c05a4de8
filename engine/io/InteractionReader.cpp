// The reader of a user's own interaction table (io/InteractionReader.h).
//
// A file without quote characters (the usual export) is cut into pieces that OpenMP threads
// parse at once, splitting fields with memchr; a piece owns the lines that start in it. A file on
// disk is read piece by piece with pread into one reused buffer per thread (as the MovieLens
// ratings parser does: on a virtual machine a page fault costs more than parsing the page). A file
// with quotes is read by the RFC 4180 reader (io/CsvReader.h) in one pass. Id columns are read as
// numbers until a field is not one; then the parse starts again with that column read as strings
// (interned per piece, numbered over the union in sorted order afterwards).
#include "io/InteractionReader.h"

#include <fcntl.h>
#include <omp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <exception>
#include <memory>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

#include "data/DatasetBuilder.h"
#include "io/CsvReader.h"
#include "io/InteractionTable.h"
#include "io/JsonFile.h"
#include "io/TextEncoding.h"
#include "util/Errors.h"

namespace lens {
namespace {

// Byte ranges [begin, end) of the data: about eight per thread (so a thread the machine slows
// down holds back little), 64 KiB to 8 MiB each. A range owns the lines that start in it.
std::vector<std::pair<std::uint64_t, std::uint64_t>> rangesOf(std::uint64_t begin,
                                                              std::uint64_t size, int threads) {
    const std::uint64_t bytes =
        std::clamp<std::uint64_t>((size - begin) / (8 * static_cast<std::uint64_t>(threads)),
                                  std::uint64_t{64} << 10, std::uint64_t{8} << 20);
    std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges;
    for (; begin < size; begin += bytes) ranges.emplace_back(begin, std::min(size, begin + bytes));
    return ranges;
}

// The whole lines that start in [begin, end) of `all` (first = where the data starts).
std::string_view linesOf(std::string_view all, std::size_t first, std::size_t begin,
                         std::size_t end) {
    std::size_t from = begin;
    if (begin > first && all[begin - 1] != '\n') {
        const std::size_t nl = all.find('\n', begin);
        from = nl == std::string_view::npos ? all.size() : nl + 1;
    }
    std::size_t to = end;
    if (end < all.size() && all[end - 1] != '\n') {
        const std::size_t nl = all.find('\n', end);
        to = nl == std::string_view::npos ? all.size() : nl + 1;
    }
    return from < to ? all.substr(from, to - from) : std::string_view();
}

// Bytes after what readAt read that the parser may load (io/InteractionTable.cpp's 8-byte loads).
constexpr std::size_t kReadPadding = 16;

// A thread's read buffer: grown without zeroing (the reads fill it), kReadPadding zero bytes
// after the `filled` bytes of the last read.
struct ReadBuffer {
    std::unique_ptr<char[]> bytes;
    std::size_t capacity = 0;
    std::size_t filled = 0;
    // Bytes readable after `at` (a position in the last read).
    std::size_t readableAfter(const char* at) const {
        return static_cast<std::size_t>(bytes.get() + filled + kReadPadding - at);
    }
};

// Reads [from, from + count) of `fd` into `buffer` (shorter at the end of the file).
std::string_view readAt(int fd, std::uint64_t from, std::size_t count, ReadBuffer& buffer,
                        const std::string& fileName) {
    if (buffer.capacity < count + kReadPadding) {
        buffer.capacity = count + kReadPadding;
        buffer.bytes = std::make_unique_for_overwrite<char[]>(buffer.capacity);
    }
    char* data = buffer.bytes.get();
    std::size_t got = 0;
    while (got < count) {
        const ssize_t n = ::pread(fd, data + got, count - got, static_cast<off_t>(from + got));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0)
            throw DataError(fileName, 0, std::string("cannot read: ") + std::strerror(errno));
        if (n == 0) break;
        got += static_cast<std::size_t>(n);
    }
    buffer.filled = got;
    std::memset(data + got, 0, kReadPadding);
    return {data, got};
}

// The whole lines that start in [begin, end) of the file, read into `buffer`: from the byte
// before `begin` (is begin a line start?) to the first line break at or after end - 1.
std::string_view fileLinesOf(int fd, std::uint64_t size, std::uint64_t first, std::uint64_t begin,
                             std::uint64_t end, ReadBuffer& buffer, const std::string& fileName) {
    const std::uint64_t from = begin > first ? begin - 1 : begin;
    std::size_t extra = 64 << 10;
    while (true) {
        const std::uint64_t to = std::min<std::uint64_t>(size, end + extra);
        const std::string_view bytes =
            readAt(fd, from, static_cast<std::size_t>(to - from), buffer, fileName);
        const bool complete = from + bytes.size() >= size;
        const std::size_t last = static_cast<std::size_t>(end - from);  // index of end in bytes
        if (complete || bytes.find('\n', last - 1) != std::string_view::npos)
            return linesOf(bytes, 0, static_cast<std::size_t>(begin - from),
                           std::min(last, bytes.size()));
        extra *= 4;  // a line longer than the look-ahead
    }
}

struct ParseOutcome {
    std::vector<PieceResult> results;
    IdModes modes;
    bool sawQuote = false;
};

// Runs `parse(i, modes, result, arena)` for every piece in parallel, again with string ids for
// a column that turned out not to be numbers. `arena` is the thread's storage for the records
// of its pieces (`arenaRows` rows, allocated at its first piece; none for 0): one allocation per
// thread, in huge pages where the kernel gives them, instead of page faults per piece.
template <typename Parse>
ParseOutcome parsePieces(std::size_t pieces, int maxThreads, std::size_t arenaRows,
                         const LoadOptions& options, const std::string& fileName, Parse&& parse) {
    ParseOutcome out;
    for (int attempt = 0; attempt < 3; ++attempt) {
        out.results.assign(pieces, PieceResult{});
        std::atomic<bool> cancelled{false}, failed{false};
        std::atomic<std::size_t> done{0};
        std::exception_ptr failure;
        const int threads = std::max(1, std::min<int>(maxThreads, static_cast<int>(pieces)));
        std::vector<RatingBlock> arenas(static_cast<std::size_t>(threads));
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
        for (std::size_t i = 0; i < pieces; ++i) {
            if (cancelled.load(std::memory_order_relaxed) || failed.load()) continue;
            try {
                RatingBlock& arena = arenas[static_cast<std::size_t>(omp_get_thread_num())];
                if (!arena.storage && arenaRows > 0) arena = RatingBlock(arenaRows);
                parse(i, out.modes, out.results[i], arena);
            } catch (...) {  // a read error: rethrown after the parallel loop
#pragma omp critical(interactionFailure)
                if (!failed.exchange(true)) failure = std::current_exception();
            }
            const std::size_t finished = done.fetch_add(1) + 1;
            if (options.progress && omp_get_thread_num() == 0 &&
                !options.progress(0.9 * static_cast<double>(finished) / static_cast<double>(pieces),
                                  "reading " + fileName))
                cancelled = true;
        }
        if (failed) std::rethrow_exception(failure);
        if (cancelled) throw Cancelled();
        bool restart = false;
        for (const auto& r : out.results) {
            out.sawQuote = out.sawQuote || r.sawQuote;
            if (r.userNotNumeric && !out.modes.userStrings) out.modes.userStrings = restart = true;
            if (r.itemNotNumeric && !out.modes.itemStrings) out.modes.itemStrings = restart = true;
        }
        if (out.sawQuote || !restart) break;
    }
    return out;
}

// Errors with absolute line numbers (strict: the first one in file order throws), the items,
// the Dataset.
Dataset finish(ParseOutcome&& parsed, const TableLayout& layout, bool plain,
               const std::string& fileName, const std::string& name, const LoadOptions& options,
               std::optional<std::string_view> items, const std::string& itemsFileName,
               const ItemsFormat& itemsFormat) {
    LoadReport report;
    std::size_t linesBefore = 0;
    for (const auto& r : parsed.results) {
        for (const auto& e : r.errors) {
            const std::size_t line = plain ? layout.firstLine + linesBefore + e.line : e.line;
            if (!options.lenient) throw DataError(fileName, line, e.problem);
            if (report.warnings.size() < kMaxInteractionWarnings)
                report.warnings.push_back(DataError::format(fileName, line, e.problem));
        }
        report.skippedLines += r.skipped;
        linesBefore += r.lines;
    }
    std::optional<ItemsTable> itemTable;
    if (items)
        itemTable = readItemsTable(*items, itemsFileName, itemsFormat, parsed.modes.itemStrings,
                                   options.lenient, report);
    Dataset ds = assembleInteractions(std::move(parsed.results), parsed.modes, layout.format,
                                      itemTable, report);
    ds.name = name;
    ds.layout = Layout::Interactions;
    if (options.progress && !options.progress(1.0, "done")) throw Cancelled();
    return ds;
}

int threadsOf(const LoadOptions& options) {
    return std::max(1, options.threads > 0 ? options.threads : omp_get_max_threads());
}

}  // namespace

Dataset readInteractions(std::string_view text, const std::string& fileName,
                         const InteractionFormat& format, const std::string& name,
                         const LoadOptions& options, std::optional<std::string_view> items,
                         const std::string& itemsFileName, const ItemsFormat& itemsFormat) {
    text = stripBom(text);
    const TableLayout layout = resolveTableLayout(text, fileName, format);
    const int maxThreads = threadsOf(options);
    ParseOutcome parsed;
    bool plain = std::memchr(text.data(), '"', text.size()) == nullptr;
    if (plain) {
        const auto ranges = rangesOf(layout.dataOffset, text.size(), maxThreads);
        parsed = parsePieces(
            ranges.size(), maxThreads,
            arenaRows(layout, text.size() - layout.dataOffset, ranges.size()), options, fileName,
            [&](std::size_t i, const IdModes& modes, PieceResult& out, RatingBlock& arena) {
                const std::string_view lines =
                    linesOf(text, layout.dataOffset, ranges[i].first, ranges[i].second);
                const auto after = static_cast<std::size_t>(text.data() + text.size() -
                                                            (lines.data() + lines.size()));
                parsePlain(lines, lines.empty() ? 0 : after, layout, modes, options.lenient, out,
                           &arena);
            });
    }
    if (!plain || parsed.sawQuote) {
        plain = false;
        parsed =
            parsePieces(1, 1, 0, options, fileName,
                        [&](std::size_t, const IdModes& modes, PieceResult& out, RatingBlock&) {
                            parseQuoted(text, layout, modes, options.lenient, out);
                        });
    }
    return finish(std::move(parsed), layout, plain, fileName, name, options, items, itemsFileName,
                  itemsFormat);
}

Dataset readInteractionsFile(const std::filesystem::path& file, const std::string& fileName,
                             const InteractionFormat& format, const std::string& name,
                             const LoadOptions& options, std::optional<std::string_view> items,
                             const std::string& itemsFileName, const ItemsFormat& itemsFormat) {
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat st {};
    if (fd < 0 || ::fstat(fd, &st) != 0) {
        const int error = errno;
        if (fd >= 0) ::close(fd);
        throw DataError(fileName, 0, std::string("cannot read: ") + std::strerror(error));
    }
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    const auto size = static_cast<std::uint64_t>(st.st_size);
    // The layout from the first bytes (the header and the first data line must be in them).
    ReadBuffer headBuffer;
    std::string_view head = readAt(
        fd, 0, static_cast<std::size_t>(std::min<std::uint64_t>(size, std::uint64_t{1} << 20)),
        headBuffer, fileName);
    const std::size_t bom = head.size() - stripBom(head).size();
    const TableLayout layout = resolveTableLayout(head.substr(bom), fileName, format);
    const std::uint64_t first = bom + layout.dataOffset;
    const int maxThreads = threadsOf(options);
    const auto ranges = rangesOf(first, size, maxThreads);
    std::vector<ReadBuffer> buffers(static_cast<std::size_t>(maxThreads));
    ParseOutcome parsed = parsePieces(
        ranges.size(), maxThreads, arenaRows(layout, size - first, ranges.size()), options,
        fileName, [&](std::size_t i, const IdModes& modes, PieceResult& out, RatingBlock& arena) {
            auto& buffer = buffers[static_cast<std::size_t>(omp_get_thread_num())];
            const std::string_view lines =
                fileLinesOf(fd, size, first, ranges[i].first, ranges[i].second, buffer, fileName);
            parsePlain(lines, lines.empty() ? 0 : buffer.readableAfter(lines.data() + lines.size()),
                       layout, modes, options.lenient, out, &arena);
        });
    buffers.clear();
    if (parsed.sawQuote) {  // quoted fields: the RFC 4180 reader over the whole file
        const std::string text = readWholeFile(file);
        return readInteractions(text, fileName, format, name, options, items, itemsFileName,
                                itemsFormat);
    }
    return finish(std::move(parsed), layout, true, fileName, name, options, items, itemsFileName,
                  itemsFormat);
}

}  // namespace lens
