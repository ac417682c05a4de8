#include "io/RunHistoryFile.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>
#include <system_error>
#include <unordered_set>

#include "eval/MetricKeys.h"
#include "io/JsonFile.h"
#include "models/RecommenderFactory.h"
#include "util/Errors.h"

namespace lens {

namespace {

using nlohmann::json;

constexpr const char* kFormat = "lens-atlas-runs";
constexpr int kVersion = 1;

struct StatusKey {
    RunStatus status;
    const char* key;
};
constexpr StatusKey kStatusKeys[] = {
    {RunStatus::Queued, "queued"},       {RunStatus::Running, "running"},
    {RunStatus::Completed, "completed"}, {RunStatus::Stopped, "stopped"},
    {RunStatus::Cancelled, "cancelled"}, {RunStatus::Failed, "failed"},
};

// A value as errors quote it: at most 64 characters, so a runaway field of a corrupt runs.json
// keeps the message short (tests/ui/tst_fuzz_regressions_ui: a million-character id).
std::string shown(std::string_view value) {
    return shortened(value, 64);
}

// The string at `key`, or nullopt when absent or not a string.
std::optional<std::string> stringAt(const json& o, const char* key) {
    const auto it = o.find(key);
    if (it == o.end() || !it->is_string()) return std::nullopt;
    return it->get<std::string>();
}

std::optional<std::uint64_t> parseSeed(const std::string& text) {
    std::uint64_t seed = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seed);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
    return seed;
}

// A metric of a history entry: null or absent is NaN; anything else but a number is an error.
bool readMetric(const json& o, const char* key, double* out) {
    const auto it = o.find(key);
    if (it == o.end() || it->is_null()) {
        *out = kNoMetric;
        return true;
    }
    if (!it->is_number()) return false;
    *out = it->get<double>();
    return true;
}

json metricJson(double v) {
    const std::optional<double> value = metricJsonValue(v);
    return value ? jsonNumber(*value) : json(nullptr);
}

bool isPlainFileName(const std::string& name) {
    return name.find_first_of("/\\") == std::string::npos && !name.starts_with('.');
}

// The final figures of a part, in the order they are written.
struct FigureKey {
    const char* key;
    double HeldOutFigures::*member;
};
constexpr FigureKey kFigureKeys[] = {
    {"rmse", &HeldOutFigures::rmse},          {"mae", &HeldOutFigures::mae},
    {"hr10", &HeldOutFigures::hr10},          {"ndcg10", &HeldOutFigures::ndcg10},
    {"full_hr10", &HeldOutFigures::fullHr10}, {"full_ndcg10", &HeldOutFigures::fullNdcg10},
};

json figuresJson(const HeldOutFigures& f) {
    json o = json::object();
    for (const auto& k : kFigureKeys) o[k.key] = metricJson(f.*k.member);
    return o;
}

// Absent or null: nullopt and true; an object of numbers / nulls: the figures; else false.
bool readFigures(const json& o, const char* key, std::optional<HeldOutFigures>* out) {
    const auto it = o.find(key);
    out->reset();
    if (it == o.end() || it->is_null()) return true;
    if (!it->is_object()) return false;
    HeldOutFigures f;
    for (const auto& k : kFigureKeys)
        if (!readMetric(*it, k.key, &(f.*k.member))) return false;
    *out = f;
    return true;
}

// A count of the "sweep" object: a whole number from `least` up.
bool readCount(const json& o, const char* key, int least, int* out) {
    const auto it = o.find(key);
    if (it == o.end() || !it->is_number_integer()) return false;
    const auto v = it->get<std::int64_t>();
    if (v < least || v > 1'000'000) return false;
    *out = static_cast<int>(v);
    return true;
}

// Absent or null: nullopt and true; a whole membership: it; anything else: false.
bool readSweep(const json& o, std::optional<SweepMembership>* out) {
    out->reset();
    const auto it = o.find("sweep");
    if (it == o.end() || it->is_null()) return true;
    if (!it->is_object()) return false;
    SweepMembership m;
    m.id = stringAt(*it, "id").value_or("");
    m.metric = stringAt(*it, "metric").value_or("");
    const auto isFinal = it->find("final");
    if (m.id.empty() || isFinal == it->end() || !isFinal->is_boolean() ||
        !readCount(*it, "number", 1, &m.number) || !readCount(*it, "trials", 1, &m.trials) ||
        !readCount(*it, "trial", 1, &m.trial) || m.trial > m.trials)
        return false;
    m.final = isFinal->get<bool>();
    *out = std::move(m);
    return true;
}

}  // namespace

const char* runStatusKey(RunStatus status) {
    for (const auto& s : kStatusKeys)
        if (s.status == status) return s.key;
    return "unknown";
}

std::optional<RunStatus> parseRunStatus(std::string_view key) {
    for (const auto& s : kStatusKeys)
        if (key == s.key) return s.status;
    return std::nullopt;
}

json runHistoryEntryToJson(const RunHistoryEntry& r) {
    json hyper = json::array();
    for (const auto& [key, value] : r.hyperparameters) hyper.push_back({key, value});
    json history = json::array();
    for (const TrainingSnapshot& s : r.history) {
        json so = {{"iteration", s.iteration}, {"total", s.totalIterations}};
        for (const auto& t : kSnapshotTimingKeys) so[t.key] = metricJson(s.*t.member);
        for (const auto& m : kSnapshotMetricKeys) so[m.key] = metricJson(s.*m.member);
        history.push_back(std::move(so));
    }
    json o = {{"id", r.id},
              {"model", r.modelKind},
              {"model_display_name", r.modelDisplayName},
              {"hyperparameters", std::move(hyper)},
              {"split", r.split.text()},
              {"seed", std::to_string(r.seed)},
              {"dataset", r.datasetName},
              {"status", runStatusKey(r.status)},
              {"started", r.started ? isoTimestamp(*r.started) : std::string()},
              {"duration_seconds", jsonNumber(r.durationSeconds)},
              {"model_file", r.modelFile},
              {"message", r.message},
              {"history", std::move(history)}};
    // The validation fields only when they say something, so an entry of an older file is
    // written back as it was read.
    if (r.curvesOn != EvaluatedPart::Test) o["curves_on"] = evaluatedPartName(r.curvesOn);
    if (r.validationRatings > 0) o["validation_ratings"] = r.validationRatings;
    if (r.finalValidation) o["final_validation"] = figuresJson(*r.finalValidation);
    if (r.finalTest) o["final_test"] = figuresJson(*r.finalTest);
    if (std::isfinite(r.trainRmse)) o["train_rmse"] = metricJson(r.trainRmse);
    if (!r.perUserFile.empty()) o["per_user_file"] = r.perUserFile;
    if (r.sweep)
        o["sweep"] = {{"id", r.sweep->id},       {"number", r.sweep->number},
                      {"trial", r.sweep->trial}, {"trials", r.sweep->trials},
                      {"final", r.sweep->final}, {"metric", r.sweep->metric}};
    if (r.budgetSeconds > 0) o["budget_seconds"] = jsonNumber(r.budgetSeconds);
    if (r.stopReason) o["stop_reason"] = stopReasonKey(*r.stopReason);
    return o;
}

std::optional<RunHistoryEntry> runHistoryEntryFromJson(const json& o, std::string* error) {
    auto fail = [&](const std::string& problem) -> std::optional<RunHistoryEntry> {
        if (error) *error = problem;
        return std::nullopt;
    };
    if (!o.is_object()) return fail("not an object");
    RunHistoryEntry r;
    r.id = stringAt(o, "id").value_or("");
    if (r.id.empty()) return fail("field 'id' missing");
    const std::string run = "run " + shown(r.id) + ": ";

    const std::optional<std::string> model = stringAt(o, "model");
    if (!model) return fail(run + "field 'model' missing");
    r.modelKind = *model;
    const RecommenderDescriptor* descriptor = findRecommender(r.modelKind);
    if (!descriptor) return fail(run + "unknown model '" + shown(r.modelKind) + "'");
    r.modelDisplayName = stringAt(o, "model_display_name").value_or("");
    if (r.modelDisplayName.empty()) r.modelDisplayName = descriptor->displayName;

    const std::optional<RunStatus> status = parseRunStatus(stringAt(o, "status").value_or(""));
    if (!status) return fail(run + "field 'status' missing or unknown");
    r.status = *status;

    const std::optional<std::string> seedText = stringAt(o, "seed");
    if (!seedText) return fail(run + "field 'seed' missing");
    const std::optional<std::uint64_t> seed = parseSeed(*seedText);
    if (!seed) return fail(run + "bad seed '" + shown(*seedText) + "'");
    r.seed = *seed;

    const std::optional<std::string> splitText = stringAt(o, "split");
    if (!splitText) return fail(run + "field 'split' missing");
    try {
        r.split = SplitSpec::parse(*splitText, r.seed);
    } catch (const std::exception& e) {
        return fail(run + "field 'split': " + shortened(e.what(), 300));
    }

    const auto hyper = o.find("hyperparameters");
    if (hyper == o.end() || !hyper->is_array())
        return fail(run + "field 'hyperparameters' missing");
    for (const json& pair : *hyper) {
        if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() || !pair[1].is_string())
            return fail(run + "bad hyper-parameter entry");
        r.hyperparameters.emplace_back(pair[0].get<std::string>(), pair[1].get<std::string>());
    }

    r.datasetName = stringAt(o, "dataset").value_or("");
    if (const auto started = stringAt(o, "started")) r.started = parseIsoTimestamp(*started);
    const auto duration = o.find("duration_seconds");
    if (duration == o.end() || !duration->is_number() || !(duration->get<double>() >= 0))
        return fail(run + "field 'duration_seconds' missing or negative");
    r.durationSeconds = duration->get<double>();
    r.modelFile = stringAt(o, "model_file").value_or("");
    r.message = stringAt(o, "message").value_or("");
    if (!isPlainFileName(r.modelFile))
        return fail(run + "model file '" + shown(r.modelFile) + "' is not a plain file name");

    const auto history = o.find("history");
    if (history == o.end() || !history->is_array()) return fail(run + "field 'history' missing");
    r.history.reserve(history->size());
    for (const json& so : *history) {
        TrainingSnapshot s;
        const auto iteration = so.is_object() ? so.find("iteration") : so.end();
        const auto total = so.is_object() ? so.find("total") : so.end();
        if (iteration == so.end() || total == so.end() || !iteration->is_number() ||
            !total->is_number())
            return fail(run + "history entry without iteration");
        s.iteration = jsonInt(*iteration);
        s.totalIterations = jsonInt(*total);
        for (const auto& f : kSnapshotTimingKeys)
            if (!readMetric(so, f.key, &(s.*f.member)))
                return fail(run + "history field '" + f.key + "' is not a number");
        for (const auto& f : kSnapshotMetricKeys)
            if (!readMetric(so, f.key, &(s.*f.member)))
                return fail(run + "history field '" + f.key + "' is not a number");
        r.history.push_back(s);
    }

    // Validation and the final figures (absent in files written before them).
    const std::string curvesOn = stringAt(o, "curves_on").value_or("test");
    if (curvesOn == "validation")
        r.curvesOn = EvaluatedPart::Validation;
    else if (curvesOn == "test")
        r.curvesOn = EvaluatedPart::Test;
    else
        return fail(run + "field 'curves_on' is neither 'validation' nor 'test'");
    if (const auto v = o.find("validation_ratings"); v != o.end() && !v->is_null()) {
        if (!v->is_number_unsigned())
            return fail(run + "field 'validation_ratings' is not a count");
        r.validationRatings = v->get<std::size_t>();
    }
    if (!readFigures(o, "final_validation", &r.finalValidation))
        return fail(run + "field 'final_validation' is not an object of numbers");
    if (!readFigures(o, "final_test", &r.finalTest))
        return fail(run + "field 'final_test' is not an object of numbers");
    if (!readMetric(o, "train_rmse", &r.trainRmse))
        return fail(run + "field 'train_rmse' is not a number");
    r.perUserFile = stringAt(o, "per_user_file").value_or("");
    if (!isPlainFileName(r.perUserFile))
        return fail(run + "per-user file '" + shown(r.perUserFile) + "' is not a plain file name");
    if (!readSweep(o, &r.sweep)) return fail(run + "field 'sweep' is not a sweep membership");
    if (const auto b = o.find("budget_seconds"); b != o.end() && !b->is_null()) {
        if (!b->is_number() || !(b->get<double>() >= 0))
            return fail(run + "field 'budget_seconds' is not a duration in seconds");
        r.budgetSeconds = b->get<double>();
    }
    if (const auto reason = o.find("stop_reason"); reason != o.end() && !reason->is_null()) {
        r.stopReason =
            reason->is_string() ? parseStopReason(reason->get<std::string>()) : std::nullopt;
        if (!r.stopReason) return fail(run + "field 'stop_reason' unknown");
    }
    return r;
}

TrainingStop RunHistoryEntry::trainingStop() const {
    TrainingStop stop;
    stop.reason = stopReason.value_or(StopReason::None);
    stop.iterations = history.empty() ? 0 : history.back().iteration;
    stop.totalIterations = history.empty() ? 0 : history.back().totalIterations;
    stop.budgetSeconds = budgetSeconds;
    for (const auto& [key, value] : hyperparameters) stop.epochs = stop.epochs || key == "epochs";
    return stop;
}

RunHistoryContents parseRunHistory(std::string_view bytes, const std::string& indexName) {
    RunHistoryContents contents;
    JsonSyntaxError syntax;
    const std::optional<json> document = parseJson(bytes, &syntax);
    if (!document) {
        contents.unusable = "not valid JSON" +
                            (syntax.line ? " at line " + std::to_string(syntax.line) : "") + " (" +
                            syntax.reason + ")";
        return contents;
    }
    const auto format = document->is_object() ? document->find("format") : document->end();
    const auto runs = document->is_object() ? document->find("runs") : document->end();
    if (format == document->end() || *format != kFormat || runs == document->end() ||
        !runs->is_array()) {
        contents.unusable = "not a Lens Atlas runs index";
        return contents;
    }
    if (const auto version = document->find("version");
        version != document->end() && jsonInt(*version) > kVersion) {
        contents.problems.push_back(indexName + ": written by a newer Lens Atlas (version " +
                                    std::to_string(jsonInt(*version)) + "); history not loaded");
        return contents;
    }
    std::unordered_set<std::string> ids;
    for (std::size_t i = 0; i < runs->size(); ++i) {
        const std::string skipped = indexName + ": entry " + std::to_string(i + 1) + " skipped: ";
        std::string error;
        std::optional<RunHistoryEntry> entry = runHistoryEntryFromJson((*runs)[i], &error);
        if (!entry) {
            contents.problems.push_back(skipped + error);
            continue;
        }
        if (!ids.insert(entry->id).second) {
            contents.problems.push_back(skipped + "duplicate run id " + shown(entry->id));
            continue;
        }
        if (entry->status == RunStatus::Running || entry->status == RunStatus::Queued) {
            entry->status = RunStatus::Cancelled;
            entry->message = "interrupted: the application ended during the run";
        }
        contents.runs.push_back(std::move(*entry));
    }
    return contents;
}

std::string serializeRunHistory(const std::vector<RunHistoryEntry>& runs) {
    json array = json::array();
    for (const RunHistoryEntry& r : runs)
        if (r.status != RunStatus::Queued) array.push_back(runHistoryEntryToJson(r));
    return jsonFileText({{"format", kFormat}, {"version", kVersion}, {"runs", std::move(array)}});
}

RunHistoryContents loadRunHistory(const std::filesystem::path& indexFile) {
    std::error_code ec;
    if (!std::filesystem::exists(indexFile, ec)) return {};
    const std::string name = indexFile.string();
    std::string bytes;
    try {
        bytes = readWholeFile(indexFile);
    } catch (const DataError& e) {
        RunHistoryContents unreadable;
        unreadable.problems.push_back(name + ": " + e.problem());
        return unreadable;
    }
    RunHistoryContents contents = parseRunHistory(bytes, name);
    if (contents.unusable) {
        std::filesystem::path aside = indexFile;
        aside += ".corrupt";
        std::filesystem::remove(aside, ec);
        std::filesystem::rename(indexFile, aside, ec);
        contents.problems.push_back(name + ": " + *contents.unusable +
                                    (ec ? "; could not set it aside as " : "; set aside as ") +
                                    aside.filename().string() + " and starting an empty history");
    }
    return contents;
}

namespace {

constexpr char kPerUserMagic[8] = {'L', 'A', 'P', 'E', 'R', 'U', 'S', 'R'};
constexpr std::uint32_t kPerUserVersion = 1;
constexpr std::uint32_t kMaxPerUserColumns = 64;
constexpr std::uint32_t kMaxColumnName = 64;

template <class T>
void put(std::string& out, T value) {
    char bytes[sizeof(T)];
    std::memcpy(bytes, &value, sizeof(T));
    out.append(bytes, sizeof(T));
}

// Reads little-endian values from a byte string, throwing DataError naming the file at the end.
class ByteReader {
public:
    ByteReader(std::string_view bytes, const std::string& file) : bytes_(bytes), file_(file) {}
    template <class T>
    T get(const char* what) {
        need(sizeof(T), what);
        T value;
        std::memcpy(&value, bytes_.data() + at_, sizeof(T));
        at_ += sizeof(T);
        return value;
    }
    std::string_view take(std::size_t n, const char* what) {
        need(n, what);
        const std::string_view part = bytes_.substr(at_, n);
        at_ += n;
        return part;
    }
    std::size_t left() const { return bytes_.size() - at_; }
    [[noreturn]] void fail(const std::string& problem) const {
        throw DataError(file_, 0, "not a per-user metrics file: " + problem);
    }

private:
    void need(std::size_t n, const char* what) const {
        if (bytes_.size() - at_ < n) fail(std::string("cut short in ") + what);
    }
    std::string_view bytes_;
    const std::string& file_;
    std::size_t at_ = 0;
};

}  // namespace

std::string serializePerUserMetrics(const PerUserMetrics& m, std::size_t datasetUsers) {
    const std::size_t n = m.users.size();
    std::string out;
    out.reserve(48 + n * 4 * (1 + m.columns.size()));
    out.append(kPerUserMagic, sizeof(kPerUserMagic));
    put<std::uint32_t>(out, kPerUserVersion);
    put<std::uint32_t>(out, static_cast<std::uint32_t>(m.cutoff));
    put<std::uint64_t>(out, datasetUsers);
    put<std::uint64_t>(out, m.usersWithTests);
    put<std::uint64_t>(out, n);
    put<std::uint32_t>(out, static_cast<std::uint32_t>(m.columns.size()));
    for (std::uint32_t u : m.users) put<std::uint32_t>(out, u);
    for (const PerUserColumn& c : m.columns) {
        if (c.values.size() != n)
            throw std::invalid_argument("per-user column " + c.name + " does not match its users");
        put<std::uint32_t>(out, static_cast<std::uint32_t>(c.name.size()));
        out += c.name;
        for (double v : c.values) put<float>(out, static_cast<float>(v));
    }
    return out;
}

PerUserMetrics parsePerUserMetrics(std::string_view bytes, const std::string& file,
                                   std::size_t datasetUsers) {
    ByteReader in(bytes, file);
    if (in.take(sizeof(kPerUserMagic), "the header") !=
        std::string_view(kPerUserMagic, sizeof(kPerUserMagic)))
        in.fail("wrong magic");
    const auto version = in.get<std::uint32_t>("the header");
    if (version != kPerUserVersion)
        in.fail("version " + std::to_string(version) + " (expected " +
                std::to_string(kPerUserVersion) + ")");
    PerUserMetrics m;
    const auto cutoff = in.get<std::uint32_t>("the header");
    if (cutoff < 1 || cutoff > 1000) in.fail("cutoff " + std::to_string(cutoff));
    m.cutoff = static_cast<int>(cutoff);
    const auto users = in.get<std::uint64_t>("the header");
    if (datasetUsers != 0 && users != datasetUsers)
        in.fail("written for " + std::to_string(users) + " users, the dataset has " +
                std::to_string(datasetUsers));
    m.datasetUsers = users;
    m.usersWithTests = in.get<std::uint64_t>("the header");
    const auto n = in.get<std::uint64_t>("the header");
    const auto columns = in.get<std::uint32_t>("the header");
    if (columns > kMaxPerUserColumns) in.fail(std::to_string(columns) + " columns");
    // Every stored user costs 4 bytes per column plus its index: refuse sizes the file cannot hold
    // before allocating.
    if (n > in.left() / 4) in.fail("more users than bytes");
    m.users.resize(n);
    for (std::uint64_t k = 0; k < n; ++k) {
        m.users[k] = in.get<std::uint32_t>("the users");
        if ((k > 0 && m.users[k] <= m.users[k - 1]) || m.users[k] >= users)
            in.fail("users out of order or range");
    }
    if (m.usersWithTests < n) in.fail("fewer users with tests than users stored");
    for (std::uint32_t c = 0; c < columns; ++c) {
        const auto length = in.get<std::uint32_t>("a column name");
        if (length == 0 || length > kMaxColumnName) in.fail("bad column name length");
        PerUserColumn column;
        column.name = std::string(in.take(length, "a column name"));
        if (m.column(column.name)) in.fail("column " + shown(column.name) + " twice");
        if (n > in.left() / sizeof(float)) in.fail("cut short in column " + shown(column.name));
        column.values.resize(n);
        for (auto& v : column.values) v = static_cast<double>(in.get<float>("a column"));
        m.columns.push_back(std::move(column));
    }
    if (in.left() != 0) in.fail(std::to_string(in.left()) + " bytes after the last column");
    return m;
}

void savePerUserMetrics(const std::filesystem::path& file, const PerUserMetrics& metrics,
                        std::size_t datasetUsers) {
    writeFileAtomically(file, serializePerUserMetrics(metrics, datasetUsers), "per-user metrics");
}

PerUserMetrics loadPerUserMetrics(const std::filesystem::path& file, std::size_t datasetUsers) {
    return parsePerUserMetrics(readWholeFile(file), file.string(), datasetUsers);
}

void saveRunHistory(const std::filesystem::path& indexFile,
                    const std::vector<RunHistoryEntry>& runs) {
    if (indexFile.has_parent_path()) {
        std::error_code ec;
        std::filesystem::create_directories(indexFile.parent_path(), ec);
        if (ec)
            throw DataError(indexFile.parent_path().string(), 0,
                            "cannot create folder: " + ec.message());
    }
    writeFileAtomically(indexFile, serializeRunHistory(runs));
}

}  // namespace lens
