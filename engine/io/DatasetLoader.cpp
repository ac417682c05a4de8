#include "io/DatasetLoader.h"

#include <omp.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <fstream>
#include <future>
#include <limits>
#include <unordered_map>

#include "data/DatasetBuilder.h"
#include "data/Genre.h"
#include "io/CsvReader.h"
#include "io/FileSource.h"
#include "io/InteractionReader.h"
#include "io/LoaderText.h"
#include "io/Movies100k.h"
#include "io/PredefinedSplits.h"
#include "io/RatingsParser.h"
#include "io/TextEncoding.h"
#include "io/UserFiles.h"
#include "util/HugePages.h"

namespace lens {

namespace {

using loader::forEachLine;
using loader::legacyLineProblem;
using loader::parseId;
using loader::parseTimestamp;
using loader::splitFrontBack;
using loader::trimCr;
using loader::utf8Problem;

constexpr std::size_t kMaxWarnings = 20;

// The state of one load: options, the report being filled, progress.
class Loader {
public:
    Loader(const FileSource& source, const LoadOptions& options)
        : src_(source), options_(options) {}

    Dataset load(Layout layout);

private:
    // What a release holds besides its ratings.
    struct SmallFiles {
        std::vector<RawMovie> movies;
        std::vector<RawTag> tags;
        RawLinks links;
        bool haveLinks = false;
        std::optional<RawUsers> users;
    };
    SmallFiles readSmallFiles(Layout layout);

    // A malformed line in a small file: strict throws, lenient counts and remembers.
    void problem(const std::string& file, std::size_t line, const std::string& text) {
        if (!options_.lenient) throw DataError(file, line, text);
        ++report_.skippedLines;
        if (report_.warnings.size() < kMaxWarnings)
            report_.warnings.push_back(DataError::format(file, line, text));
    }
    LineProblemFn problemReporter() {
        return [this](const std::string& file, std::size_t line, const std::string& text) {
            problem(file, line, text);
        };
    }
    void stage(double fraction, const std::string& text) {
        if (options_.progress && !options_.progress(fraction, text)) throw Cancelled();
    }

    RatingsParseResult readRatings(const std::string& name, RatingsSeparator separator,
                                   std::string_view header, double progressFrom, double progressTo);
    std::vector<RawMovie> readMoviesCsv();
    std::vector<RawMovie> readMoviesDat();
    std::vector<RawMovie> readMovies100k();
    std::vector<RawTag> readTagsCsv();
    std::vector<RawTag> readTagsDat();
    RawLinks readLinksCsv();
    std::optional<RawUsers> readUsers100k();
    std::optional<RawUsers> readUsersDat();
    void attachDemographics(Dataset& ds, RawUsers&& users);
    // Content of a small text file with the header checked; nullopt when the file is absent.
    std::optional<FileBytes> readSmall(const std::string& name, bool required);
    void noteUnknownGenres(const std::string& file, std::size_t line,
                           const std::vector<std::string>& names);
    // Reads a small CSV file record by record: the first record must equal `columns` (else a
    // DataError), a broken record or one with another field count is a problem(), and
    // fn(fields, lineNumber) is called with each record of the right width.
    template <class Fn>
    void forEachCsvRecord(const FileBytes& file, const std::vector<std::string_view>& columns,
                          Fn&& fn);

    const FileSource& src_;
    const LoadOptions& options_;
    LoadReport report_;
    bool warnedGenre_ = false;
    int smallFileThreads_ = 0;  // threads for a large tags file; 0: as the options say
};

void checkEmpty(const FileBytes& file) {
    std::string_view body = stripBom(file.content);
    if (body.find_first_not_of(" \t\r\n") == std::string_view::npos)
        throw DataError(file.name, 0, "file is empty");
}

}  // namespace

std::optional<FileBytes> Loader::readSmall(const std::string& name, bool required) {
    if (!src_.exists(name)) {
        if (required) throw DataError(src_.displayNameOf(name), 0, "file is missing");
        return std::nullopt;
    }
    FileBytes file = src_.read(name);
    checkEmpty(file);
    return file;
}

void Loader::noteUnknownGenres(const std::string& file, std::size_t line,
                               const std::vector<std::string>& names) {
    if (names.empty() || warnedGenre_) return;
    warnedGenre_ = true;
    if (report_.warnings.size() < kMaxWarnings)
        report_.warnings.push_back(DataError::format(
            file, line, "unknown genre '" + excerptForMessage(names.front()) + "' ignored"));
}

template <class Fn>
void Loader::forEachCsvRecord(const FileBytes& file, const std::vector<std::string_view>& columns,
                              Fn&& fn) {
    std::string headerText, fieldList;
    for (const std::string_view column : columns) {
        if (!headerText.empty()) {
            headerText += ',';
            fieldList += ", ";
        }
        headerText += column;
        fieldList += column;
    }
    CsvReader reader(file.content);
    bool headerSeen = false;
    while (true) {
        const auto status = reader.next();
        if (status == CsvReader::Status::End) break;
        if (status == CsvReader::Status::Error) {
            if (!headerSeen) throw DataError(file.name, reader.line(), reader.error());
            problem(file.name, reader.line(), reader.error());
            continue;
        }
        const auto& f = reader.fields();
        if (!headerSeen) {
            headerSeen = true;
            if (!std::equal(f.begin(), f.end(), columns.begin(), columns.end()))
                throw DataError(file.name, reader.line(),
                                "wrong header: expected '" + headerText + "', found '" +
                                    excerptForMessage(reader.rawRecord(), 60) + "'");
            continue;
        }
        if (f.size() != columns.size()) {
            problem(file.name, reader.line(),
                    "expected " + std::to_string(columns.size()) + " fields (" + fieldList +
                        "), found " + std::to_string(f.size()));
            continue;
        }
        fn(f, reader.line());
    }
}

RatingsParseResult Loader::readRatings(const std::string& name, RatingsSeparator separator,
                                       std::string_view header, double progressFrom,
                                       double progressTo) {
    const std::string display = src_.displayNameOf(name);
    const std::optional<std::uint64_t> size = src_.size(name);
    if (!size) throw DataError(display, 0, "file is missing");
    if (*size == 0) throw DataError(display, 0, "file is empty");

    // The head of the file, for the BOM and the header line.
    std::optional<FileBytes> whole;  // a zip entry is decompressed into memory once
    std::string_view view;
    std::string head;
    const std::filesystem::path disk = src_.diskPath(name);
    if (auto mem = src_.memoryView(name)) {
        view = *mem;
        head.assign(view.substr(0, kMaxLineBytes + 16));
    } else if (!disk.empty()) {
        std::ifstream in(disk, std::ios::binary);
        if (!in) throw DataError(display, 0, std::string("cannot open: ") + std::strerror(errno));
        head.resize(kMaxLineBytes + 16);
        in.read(head.data(), static_cast<std::streamsize>(head.size()));
        head.resize(static_cast<std::size_t>(in.gcount()));
    } else {
        whole = src_.read(name);
        view = whole->content;
        head.assign(view.substr(0, kMaxLineBytes + 16));
    }
    if (*size <= head.size() &&
        stripBom(head).find_first_not_of(" \t\r\n") == std::string_view::npos)
        throw DataError(display, 0, "file is empty");
    RatingsParseConfig config;
    config.separator = separator;
    config.lenient = options_.lenient;
    config.threads = options_.threads;
    config.displayName = display;
    if (std::string_view(head).substr(0, 3) == kUtf8Bom) config.dataOffset = 3;
    if (!header.empty()) {
        const std::size_t nl = head.find('\n', config.dataOffset);
        const std::string_view first = trimCr(std::string_view(head).substr(
            config.dataOffset,
            nl == std::string::npos ? std::string::npos : nl - config.dataOffset));
        if (first != header) {
            const bool looksLikeData =
                !first.empty() && first.front() >= '0' && first.front() <= '9';
            throw DataError(display, 1,
                            std::string(looksLikeData ? "missing header" : "wrong header") +
                                ": expected '" + std::string(header) + "', found '" +
                                excerptForMessage(first, 60) + "'");
        }
        config.dataOffset = nl == std::string::npos ? head.size() : nl + 1;
        config.firstLineNumber = 2;
    }
    const double span = progressTo - progressFrom;
    config.progress = [this, span, progressFrom](double f) {
        return !options_.progress || options_.progress(progressFrom + span * f, "reading ratings");
    };
    RatingsParseResult result =
        view.data() ? parseRatingsMemory(view, config) : parseRatingsFile(disk, config);
    report_.skippedLines += result.skippedLines;
    for (auto& w : result.warnings)
        if (report_.warnings.size() < kMaxWarnings) report_.warnings.push_back(std::move(w));
    if (result.ratingCount() == 0) {
        throw DataError(
            display, 0,
            result.skippedLines
                ? "no valid ratings (" + std::to_string(result.skippedLines) + " lines skipped)"
                : std::string("no ratings"));
    }
    return result;
}

std::vector<RawMovie> Loader::readMoviesCsv() {
    std::vector<RawMovie> movies;
    auto file = readSmall("movies.csv", false);
    if (!file) return movies;
    std::vector<std::string> unknown;
    forEachCsvRecord(*file, {"movieId", "title", "genres"}, [&](const auto& f, std::size_t line) {
        RawMovie m;
        std::string p = parseId(f[0], "movie id", m.id);
        if (p.empty()) p = utf8Problem(f[1], "title");
        if (p.empty()) p = utf8Problem(f[2], "genres");
        if (!p.empty()) return problem(file->name, line, p);
        m.title = f[1];
        unknown.clear();
        m.genres = parseGenreList(f[2], &unknown);
        noteUnknownGenres(file->name, line, unknown);
        movies.push_back(std::move(m));
    });
    return movies;
}

std::vector<RawMovie> Loader::readMoviesDat() {
    std::vector<RawMovie> movies;
    auto file = readSmall("movies.dat", false);
    if (!file) return movies;
    const std::string text = legacyTextToUtf8(file->content);
    std::vector<std::string_view> parts;
    std::vector<std::string> unknown;
    forEachLine(text, [&](std::size_t lineNo, std::string_view line) {
        if (auto p = legacyLineProblem(line); !p.empty()) return problem(file->name, lineNo, p);
        if (!splitFrontBack(line, "::", 1, 1, parts))
            return problem(file->name, lineNo, "expected 3 fields (movieId::title::genres)");
        RawMovie m;
        if (auto p = parseId(parts[0], "movie id", m.id); !p.empty())
            return problem(file->name, lineNo, p);
        m.title.assign(parts[1]);
        unknown.clear();
        m.genres = parseGenreList(parts[2], &unknown);
        noteUnknownGenres(file->name, lineNo, unknown);
        movies.push_back(std::move(m));
    });
    return movies;
}

std::vector<RawMovie> Loader::readMovies100k() {
    const std::optional<FileBytes> genres = readSmall("u.genre", false);
    const std::vector<std::optional<int>> flags = genreFlagOrder(genres ? &*genres : nullptr);
    auto file = readSmall("u.item", false);
    if (!file) return {};
    return parseMovies100k(*file, flags, problemReporter());
}

std::vector<RawTag> Loader::readTagsCsv() {
    auto file = readSmall("tags.csv", false);
    if (!file) return {};
    const std::vector<std::string_view> columns = {"userId", "movieId", "tag", "timestamp"};
    const auto tagOf = [](const std::vector<std::string>& f, RawTag& t) {
        std::string p = parseId(f[0], "user id", t.userId);
        if (p.empty()) p = parseId(f[1], "movie id", t.movieId);
        if (p.empty()) p = utf8Problem(f[2], "tag");
        if (p.empty()) p = parseTimestamp(f[3], t.timestamp);
        if (p.empty()) t.text = f[2];
        return p;
    };
    // ML-32M's tags.csv holds 2 million records: read in parallel where all of them are sound.
    const int threads = smallFileThreads_ > 0  ? smallFileThreads_
                        : options_.threads > 0 ? options_.threads
                                               : omp_get_max_threads();
    if (threads > 1 && file->content.size() >= (1u << 20))
        if (auto tags = readCsvInChunks<RawTag>(
                file->content, columns, threads,
                [&](const auto& f, RawTag& t) { return tagOf(f, t).empty(); }))
            return std::move(*tags);
    std::vector<RawTag> tags;
    reserveHuge(tags, file->content.size() / 32);  // ML-20M's lines average 36 bytes
    forEachCsvRecord(*file, columns, [&](const std::vector<std::string>& f, std::size_t line) {
        RawTag t;
        if (const std::string p = tagOf(f, t); !p.empty()) return problem(file->name, line, p);
        tags.push_back(std::move(t));
    });
    return tags;
}

std::vector<RawTag> Loader::readTagsDat() {
    std::vector<RawTag> tags;
    auto file = readSmall("tags.dat", false);
    if (!file) return tags;
    const std::string text = legacyTextToUtf8(file->content);
    std::vector<std::string_view> parts;
    forEachLine(text, [&](std::size_t lineNo, std::string_view line) {
        if (auto p = legacyLineProblem(line); !p.empty()) return problem(file->name, lineNo, p);
        if (!splitFrontBack(line, "::", 2, 1, parts))
            return problem(file->name, lineNo,
                           "expected 4 fields (userId::movieId::tag::timestamp)");
        RawTag t;
        std::string p = parseId(parts[0], "user id", t.userId);
        if (p.empty()) p = parseId(parts[1], "movie id", t.movieId);
        if (p.empty()) p = parseTimestamp(parts[3], t.timestamp);
        if (!p.empty()) return problem(file->name, lineNo, p);
        t.text.assign(parts[2]);
        tags.push_back(std::move(t));
    });
    return tags;
}

RawLinks Loader::readLinksCsv() {
    RawLinks links;
    auto file = readSmall("links.csv", false);
    if (!file) return links;
    forEachCsvRecord(*file, {"movieId", "imdbId", "tmdbId"}, [&](const auto& f, std::size_t line) {
        std::int64_t movie = 0, imdb = 0, tmdb = 0;
        std::string p = parseId(f[0], "movie id", movie);
        if (p.empty() && !f[1].empty()) p = parseId(f[1], "imdb id", imdb);
        if (p.empty() && !f[2].empty()) p = parseId(f[2], "tmdb id", tmdb);
        if (!p.empty()) return problem(file->name, line, p);
        links.movieIds.push_back(movie);
        links.imdbIds.push_back(imdb);
        links.tmdbIds.push_back(tmdb);
    });
    return links;
}

std::optional<RawUsers> Loader::readUsers100k() {
    auto file = readSmall("u.user", false);
    if (!file) return std::nullopt;
    return parseUsers100k(*file, problemReporter());
}

std::optional<RawUsers> Loader::readUsersDat() {
    auto file = readSmall("users.dat", false);
    if (!file) return std::nullopt;
    return parseUsersDat(*file, problemReporter());
}

void Loader::attachDemographics(Dataset& ds, RawUsers&& raw) {
    const std::string file = raw.file;
    const std::size_t missing = lens::attachDemographics(ds, std::move(raw));
    if (missing && report_.warnings.size() < kMaxWarnings)
        report_.warnings.push_back(DataError::format(
            file, 0,
            std::to_string(missing) + " users of the ratings are not listed (their gender, age and "
                                      "occupation are unknown)"));
}

Loader::SmallFiles Loader::readSmallFiles(Layout layout) {
    SmallFiles small;
    switch (layout) {
        case Layout::Interactions:
            break;
        case Layout::Csv:
        case Layout::Synthetic:
            small.movies = readMoviesCsv();
            small.tags = readTagsCsv();
            small.haveLinks = src_.exists("links.csv");
            if (small.haveLinks) small.links = readLinksCsv();
            break;
        case Layout::Ml1m:
        case Layout::Ml10m:
            small.movies = readMoviesDat();
            small.tags = readTagsDat();
            small.users = readUsersDat();
            break;
        case Layout::Ml100k:
            small.movies = readMovies100k();
            small.users = readUsers100k();
            break;
    }
    return small;
}

Dataset Loader::load(Layout layout) {
    const auto started = std::chrono::steady_clock::now();
    if (layout == Layout::Interactions)  // opened by loadInteractionData, never here
        throw DataError(src_.displayName(), 0, "interaction data needs its format");
    // The movies, tags, links and users are read on a thread of their own (one core's worth,
    // serially) while every OpenMP thread parses the ratings: the small files cost 12 % of an
    // ML-20M load read after the ratings, and parallel they hardly speed up (0.050 s on two
    // threads, 0.055 s on one). Its own Loader keeps its warnings apart; they follow the
    // ratings' as they did when read in turn. One thread (threads = 1) reads all in turn.
    const int threads = options_.threads > 0 ? options_.threads : omp_get_max_threads();
    Loader side(src_, options_);
    side.smallFileThreads_ = 1;
    std::future<SmallFiles> sideFiles;
    if (threads > 1)
        sideFiles = std::async(std::launch::async, [&side, layout] {
            omp_set_num_threads(1);  // this thread's OpenMP regions (page faulting) too
            return side.readSmallFiles(layout);
        });
    stage(0.0, "reading ratings");
    RatingsParseResult ratings;
    switch (layout) {
        case Layout::Interactions:
            break;
        case Layout::Csv:
        case Layout::Synthetic:
            ratings = readRatings("ratings.csv", RatingsSeparator::Comma,
                                  "userId,movieId,rating,timestamp", 0.0, 0.75);
            break;
        case Layout::Ml1m:
        case Layout::Ml10m:
            ratings = readRatings("ratings.dat", RatingsSeparator::DoubleColon, {}, 0.0, 0.75);
            break;
        case Layout::Ml100k:
            ratings = readRatings("u.data", RatingsSeparator::Tab, {}, 0.0, 0.75);
            break;
    }
    stage(0.75, "reading movies and tags");
    SmallFiles small = sideFiles.valid() ? sideFiles.get() : readSmallFiles(layout);
    report_.skippedLines += side.report_.skippedLines;
    for (auto& w : side.report_.warnings)
        if (report_.warnings.size() < kMaxWarnings) report_.warnings.push_back(std::move(w));
    const RawLinks* links = small.haveLinks ? &small.links : nullptr;
    stage(0.8, "indexing");
    Dataset ds = ratings.wide ? buildDataset(std::move(ratings.raw), std::move(small.movies),
                                             std::move(small.tags), links)
                              : buildDataset(std::move(ratings.compact), std::move(small.movies),
                                             std::move(small.tags), links);
    if (layout == Layout::Ml1m &&
        std::any_of(ds.byUser.halfStars.begin(), ds.byUser.halfStars.end(),
                    [](HalfStars h) { return h & 1; }))
        layout = Layout::Ml10m;  // half stars only exist from ml-10m on
    ds.layout = layout;
    if (small.users) attachDemographics(ds, std::move(*small.users));
    ds.name = src_.releaseName();
    ds.source = src_.displayName();
    if (layout == Layout::Ml100k) {
        stage(0.9, "reading the predefined splits");
        ds.predefinedSplits = readPredefinedSplits(src_, ds);
    }
    const std::size_t duplicates = ds.report.duplicateRatings;
    const std::size_t unknown = ds.report.unknownMovies;
    ds.report.skippedLines = report_.skippedLines;
    ds.report.warnings = std::move(report_.warnings);
    if (duplicates)
        ds.report.warnings.push_back(
            std::to_string(duplicates) +
            " duplicate (user, movie) ratings: the last rating of each was kept");
    if (unknown)
        ds.report.warnings.push_back(
            std::to_string(unknown) +
            " rated or tagged movies are missing from the movie list (kept as \"unknown #id\")");
    ds.report.loadSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    stage(1.0, "done");
    return ds;
}

namespace {

Layout detect(const FileSource& src) {
    if (src.exists("ratings.csv")) return Layout::Csv;
    if (src.exists("ratings.dat")) {
        std::string name = src.releaseName();
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return src.exists("tags.dat") || name.find("10m") != std::string::npos ? Layout::Ml10m
                                                                               : Layout::Ml1m;
    }
    if (src.exists("u.data")) return Layout::Ml100k;
    std::string found;
    const auto names = src.list();
    for (std::size_t i = 0; i < names.size() && i < 5; ++i) found += (i ? ", " : "") + names[i];
    if (names.size() > 5) found += ", ...";
    throw DataError(
        src.displayName(), 0,
        "not a MovieLens release: looked for ratings.csv (ml-20m/25m/32m/latest), ratings.dat "
        "(ml-1m/ml-10m), u.data (ml-100k) or lens-atlas.json (your own data; or open the file "
        "with --format); found " +
            (found.empty() ? std::string("no files") : found));
}

}  // namespace

Dataset loadDataset(const std::filesystem::path& path, const LoadOptions& options) {
    const auto started = std::chrono::steady_clock::now();
    Dataset ds;
    if (auto interactions = loadInteractionData(path, options)) {
        ds = std::move(*interactions);
    } else {
        auto source = FileSource::open(path);
        Loader loader(*source, options);
        ds = loader.load(detect(*source));
    }
    ds.source = path.string();
    applyLoadFilters(ds, options.filters);
    ds.report.loadSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return ds;
}

Dataset loadDatasetFromMemory(const std::map<std::string, std::string>& files,
                              const std::string& name, const LoadOptions& options) {
    const std::unique_ptr<FileSource> view = FileSource::viewMemory(files, name);
    const FileSource& source = *view;
    Loader loader(source, options);
    Dataset ds = loader.load(detect(source));
    ds.source.clear();
    applyLoadFilters(ds, options.filters);
    return ds;
}

Layout detectLayout(const std::filesystem::path& path) {
    const auto source = FileSource::open(path);
    if (source->exists(kDescriptorFileName)) return Layout::Interactions;
    return detect(*source);
}

}  // namespace lens
