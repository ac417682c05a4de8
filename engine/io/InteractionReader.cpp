// The reader of a user's own interaction table (io/InteractionReader.h).
//
// A file without quote characters (the usual export) is cut into pieces at line starts that
// OpenMP threads parse at once, splitting fields with memchr; a file with quotes is read by the
// RFC 4180 reader (io/CsvReader.h) in one pass. Id columns are read as numbers until a field is
// not one; then the parse starts again with that column read as strings (interned per piece,
// numbered over the union in sorted order afterwards).
#include "io/InteractionReader.h"

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

#include "data/DatasetBuilder.h"
#include "io/CsvReader.h"
#include "io/InteractionTable.h"
#include "io/TextEncoding.h"
#include "util/Errors.h"

namespace lens {
namespace {

// Line number (1-based) of byte `offset` of `text`.
std::size_t lineOfOffset(std::string_view text, std::size_t offset) {
    return 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + offset, '\n'));
}

// Cuts [begin, text.size()) into pieces that start at line starts: about eight per thread (so a
// thread the machine slows down holds back little), 64 KiB to 8 MiB each.
std::vector<std::pair<std::size_t, std::size_t>> piecesOf(std::string_view text, std::size_t begin,
                                                          int threads) {
    const std::size_t pieceBytes =
        std::clamp<std::size_t>((text.size() - begin) / (8 * static_cast<std::size_t>(threads)),
                                std::size_t{64} << 10, std::size_t{8} << 20);
    std::vector<std::pair<std::size_t, std::size_t>> pieces;
    while (begin < text.size()) {
        std::size_t end = std::min(text.size(), begin + pieceBytes);
        if (end < text.size()) {
            const void* nl = std::memchr(text.data() + end, '\n', text.size() - end);
            end = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - text.data()) + 1
                     : text.size();
        }
        pieces.emplace_back(begin, end);
        begin = end;
    }
    return pieces;
}

}  // namespace

Dataset readInteractions(std::string_view text, const std::string& fileName,
                         const InteractionFormat& format, const std::string& name,
                         const LoadOptions& options, std::optional<std::string_view> items,
                         const std::string& itemsFileName, const ItemsFormat& itemsFormat) {
    text = stripBom(text);
    const TableLayout layout = resolveTableLayout(text, fileName, format);
    const bool quoted = std::memchr(text.data(), '"', text.size()) != nullptr;
    const int maxThreads =
        std::max(1, options.threads > 0 ? options.threads : omp_get_max_threads());
    const auto pieces = quoted ? std::vector<std::pair<std::size_t, std::size_t>>{}
                               : piecesOf(text, layout.dataOffset, maxThreads);

    IdModes modes;
    std::vector<PieceResult> results;
    for (int attempt = 0; attempt < 3; ++attempt) {
        results.assign(quoted ? 1 : pieces.size(), PieceResult{});
        std::atomic<bool> cancelled{false};
        std::atomic<std::size_t> done{0};
        if (quoted) {
            parseQuoted(text, layout, modes, options.lenient, results[0]);
        } else {
            const int threads =
                std::max(1, std::min<int>(maxThreads, static_cast<int>(pieces.size())));
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
            for (std::size_t i = 0; i < pieces.size(); ++i) {
                if (cancelled.load(std::memory_order_relaxed)) continue;
                parsePlain(text, pieces[i].first, pieces[i].second, layout, modes, options.lenient,
                           results[i]);
                const std::size_t finished = done.fetch_add(1) + 1;
                if (options.progress && omp_get_thread_num() == 0 &&
                    !options.progress(
                        0.9 * static_cast<double>(finished) / static_cast<double>(pieces.size()),
                        "reading " + fileName))
                    cancelled = true;
            }
        }
        if (cancelled) throw Cancelled();
        bool restart = false;
        for (const auto& r : results) {
            if (r.userNotNumeric && !modes.userStrings) modes.userStrings = restart = true;
            if (r.itemNotNumeric && !modes.itemStrings) modes.itemStrings = restart = true;
        }
        if (!restart) break;
    }

    // Strict: the first error in file order stops the load.
    LoadReport report;
    for (const auto& r : results) {
        for (const auto& e : r.errors) {
            const std::size_t line = e.line ? e.line : lineOfOffset(text, e.offset);
            if (!options.lenient) throw DataError(fileName, line, e.problem);
            if (report.warnings.size() < kMaxInteractionWarnings)
                report.warnings.push_back(DataError::format(fileName, line, e.problem));
        }
        report.skippedLines += r.skipped;
    }

    std::optional<ItemsTable> itemTable;
    if (items)
        itemTable = readItemsTable(*items, itemsFileName, itemsFormat, modes.itemStrings,
                                   options.lenient, report);
    Dataset ds = assembleInteractions(std::move(results), modes, layout.format, itemTable, report);
    ds.name = name;
    ds.layout = Layout::Interactions;
    if (options.progress && !options.progress(1.0, "done")) throw Cancelled();
    return ds;
}

}  // namespace lens
