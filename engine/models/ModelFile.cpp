#include "models/ModelFile.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>

#include "io/JsonFile.h"
#include "models/ImportedFactors.h"
#include "models/RecommenderFactory.h"
#include "util/Errors.h"

namespace lens {

// ---- CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320) ----
std::uint32_t crc32(const std::uint8_t* data, std::size_t size) {
    static const std::array<std::uint32_t, 256> table = [] {
        std::array<std::uint32_t, 256> t{};
        for (std::uint32_t i = 0; i < 256; ++i) {
            std::uint32_t c = i;
            for (int k = 0; k < 8; ++k) c = (c & 1U) ? 0xEDB88320U ^ (c >> 1U) : c >> 1U;
            t[i] = c;
        }
        return t;
    }();
    std::uint32_t c = 0xFFFFFFFFU;
    for (std::size_t i = 0; i < size; ++i) c = table[(c ^ data[i]) & 0xFFU] ^ (c >> 8U);
    return c ^ 0xFFFFFFFFU;
}

// ---- ModelWriter ----
void ModelWriter::raw(const void* data, std::size_t n) {
    const auto* p = static_cast<const std::uint8_t*>(data);
    bytes_.insert(bytes_.end(), p, p + n);
}
void ModelWriter::string(const std::string& s) {
    u32(static_cast<std::uint32_t>(s.size()));
    raw(s.data(), s.size());
}
void ModelWriter::floats(const std::vector<float>& v) {
    u64(v.size());
    raw(v.data(), v.size() * sizeof(float));
}
void ModelWriter::int64s(const std::vector<std::int64_t>& v) {
    u64(v.size());
    raw(v.data(), v.size() * sizeof(std::int64_t));
}
void ModelWriter::matrix(const Eigen::MatrixXf& m) {
    u64(static_cast<std::uint64_t>(m.rows()));
    u64(static_cast<std::uint64_t>(m.cols()));
    const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> rm = m;
    raw(rm.data(), static_cast<std::size_t>(rm.size()) * sizeof(float));
}
void ModelWriter::vector(const Eigen::VectorXf& v) {
    u64(static_cast<std::uint64_t>(v.size()));
    raw(v.data(), static_cast<std::size_t>(v.size()) * sizeof(float));
}

// ---- ModelReader ----
void ModelReader::fail(const std::string& problem) const {
    throw DataError(file_, 0, problem);
}
void ModelReader::need(std::size_t n, const char* what) {
    if (n > size_ - pos_)
        fail(std::string("truncated or corrupt model file (") + what + " needs " +
             std::to_string(n) + " bytes, " + std::to_string(size_ - pos_) + " left)");
}
void ModelReader::raw(void* out, std::size_t n) {
    need(n, "field");
    if (n) std::memcpy(out, data_ + pos_, n);
    pos_ += n;
}
std::uint8_t ModelReader::u8() {
    std::uint8_t v;
    raw(&v, 1);
    return v;
}
std::uint32_t ModelReader::u32() {
    std::uint32_t v;
    raw(&v, sizeof v);
    return v;
}
std::uint64_t ModelReader::u64() {
    std::uint64_t v;
    raw(&v, sizeof v);
    return v;
}
std::int64_t ModelReader::i64() {
    std::int64_t v;
    raw(&v, sizeof v);
    return v;
}
float ModelReader::f32() {
    float v;
    raw(&v, sizeof v);
    return v;
}
double ModelReader::f64() {
    double v;
    raw(&v, sizeof v);
    return v;
}
std::string ModelReader::string() {
    const std::uint32_t n = u32();
    need(n, "string");
    std::string s(reinterpret_cast<const char*>(data_ + pos_), n);
    pos_ += n;
    return s;
}
std::vector<float> ModelReader::floats() {
    const std::uint64_t n = u64();
    if (n > remaining() / sizeof(float)) need(SIZE_MAX, "float array");
    std::vector<float> v(n);
    raw(v.data(), n * sizeof(float));
    return v;
}
std::vector<std::int64_t> ModelReader::int64s() {
    const std::uint64_t n = u64();
    if (n > remaining() / sizeof(std::int64_t)) need(SIZE_MAX, "id array");
    std::vector<std::int64_t> v(n);
    raw(v.data(), n * sizeof(std::int64_t));
    return v;
}
Eigen::MatrixXf ModelReader::matrix() {
    const std::uint64_t rows = u64(), cols = u64();
    if (rows > (1ULL << 32) || cols > (1ULL << 20) ||
        (cols && rows > remaining() / sizeof(float) / cols))
        need(SIZE_MAX, "matrix");
    // An empty matrix still costs a loop over its outer dimension when converted (found by
    // fuzzing: 2^32 x 0 took seconds); real files have no empty matrix that large.
    if ((rows == 0 || cols == 0) && (rows > (1U << 20) || cols > (1U << 20)))
        fail("corrupt model file (empty matrix of " + std::to_string(rows) + " x " +
             std::to_string(cols) + ")");
    Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> rm(
        static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(cols));
    raw(rm.data(), rows * cols * sizeof(float));
    return rm;
}
Eigen::VectorXf ModelReader::vector() {
    const std::uint64_t n = u64();
    if (n > remaining() / sizeof(float)) need(SIZE_MAX, "vector");
    Eigen::VectorXf v(static_cast<Eigen::Index>(n));
    raw(v.data(), n * sizeof(float));
    return v;
}

// ---- file format ----
namespace {

void writeSnapshot(ModelWriter& w, const TrainingSnapshot& s) {
    w.u32(static_cast<std::uint32_t>(s.iteration));
    w.u32(static_cast<std::uint32_t>(s.totalIterations));
    for (double v : {s.seconds, s.evalSeconds, s.elapsedSeconds, s.trainRmse, s.testRmse, s.testMae,
                     s.objective, s.hr10, s.ndcg10})
        w.f64(v);
}

TrainingSnapshot readSnapshot(ModelReader& r) {
    TrainingSnapshot s;
    s.iteration = static_cast<int>(r.u32());
    s.totalIterations = static_cast<int>(r.u32());
    for (double* v : {&s.seconds, &s.evalSeconds, &s.elapsedSeconds, &s.trainRmse, &s.testRmse,
                      &s.testMae, &s.objective, &s.hr10, &s.ndcg10})
        *v = r.f64();
    return s;
}

constexpr std::size_t kSnapshotBytes = 8 + 9 * 8;

struct ParsedBody {
    ModelFileHeader header;
    std::vector<TrainingSnapshot> history;
    std::vector<std::int64_t> userIds, movieIds;
    std::size_t payloadOffset = 0, payloadSize = 0;
};

// Checks magic, version, length and checksum; returns a reader positioned on the body.
ModelReader openBody(const std::vector<std::uint8_t>& bytes, const std::string& file,
                     std::uint32_t& version) {
    constexpr std::size_t headerSize = 8 + 4 + 8;
    if (bytes.size() < 8 || std::memcmp(bytes.data(), kModelFileMagic, 8) != 0)
        throw DataError(file, 0, "not a Lens Atlas model file (magic LATLMODL missing)");
    if (bytes.size() < headerSize + 4)
        throw DataError(file, 0,
                        "truncated model file (" + std::to_string(bytes.size()) + " bytes)");
    ModelReader head(bytes.data() + 8, 12, file);
    version = head.u32();
    const std::uint64_t bodyLength = head.u64();
    if (version == 0 || version > kModelFileVersion)
        throw DataError(file, 0,
                        "model file version " + std::to_string(version) +
                            " is not supported (this build reads up to " +
                            std::to_string(kModelFileVersion) + ")");
    if (bodyLength != bytes.size() - headerSize - 4)
        throw DataError(file, 0,
                        "truncated or corrupt model file (body length " +
                            std::to_string(bodyLength) + " but " +
                            std::to_string(bytes.size() - headerSize - 4) + " bytes present)");
    std::uint32_t stored;
    std::memcpy(&stored, bytes.data() + bytes.size() - 4, 4);
    if (stored != crc32(bytes.data(), bytes.size() - 4))
        throw DataError(file, 0, "corrupt model file (checksum mismatch)");
    return ModelReader(bytes.data() + headerSize, bodyLength, file);
}

ParsedBody parseBody(const std::vector<std::uint8_t>& bytes, const std::string& file) {
    ParsedBody p;
    ModelReader r = openBody(bytes, file, p.header.version);
    p.header.kind = r.string();
    p.header.displayName = r.string();
    p.header.datasetName = r.string();
    const std::uint32_t splitKind = r.u32();
    if (splitKind > static_cast<std::uint32_t>(SplitKind::Ml100kPredefined))
        r.fail("corrupt model file (split kind " + std::to_string(splitKind) + ")");
    p.header.split.kind = static_cast<SplitKind>(splitKind);
    p.header.split.fraction = r.f64();
    p.header.split.seed = r.u64();
    p.header.split.cutoff = r.u32();
    p.header.split.predefined = r.string();
    p.header.seed = r.u64();
    const std::uint32_t status = r.u32();
    if (status > static_cast<std::uint32_t>(FitStatus::Stopped))
        r.fail("corrupt model file (status " + std::to_string(status) + ")");
    p.header.status = static_cast<FitStatus>(status);
    const std::uint32_t snapshots = r.u32();
    if (snapshots > r.remaining() / kSnapshotBytes) r.fail("corrupt model file (history length)");
    for (std::uint32_t i = 0; i < snapshots; ++i) p.history.push_back(readSnapshot(r));
    const std::uint32_t hyper = r.u32();
    if (hyper > r.remaining() / 8) r.fail("corrupt model file (hyper-parameter count)");
    for (std::uint32_t i = 0; i < hyper; ++i) {
        std::string key = r.string();
        std::string value = r.string();
        p.header.hyperparameters.emplace_back(std::move(key), std::move(value));
    }
    p.userIds = r.int64s();
    p.movieIds = r.int64s();
    p.header.users = p.userIds.size();
    p.header.movies = p.movieIds.size();
    if (p.header.version >= 2) {
        RatingScale& s = p.header.scale;
        s.offset = r.f32();
        s.step = r.f32();
        s.min = r.f32();
        s.max = r.f32();
        const std::uint8_t implicit = r.u8();
        if (!std::isfinite(s.offset) || !(std::isfinite(s.step) && s.step > 0.0f) ||
            !std::isfinite(s.min) || !std::isfinite(s.max) || !(s.min <= s.max) || implicit > 1)
            r.fail("corrupt model file (rating scale)");
        s.implicit = implicit != 0;
    }
    const std::uint64_t payload = r.u64();
    if (payload != r.remaining()) r.fail("corrupt model file (payload length)");
    p.payloadSize = payload;
    p.payloadOffset = bytes.size() - 4 - payload;
    return p;
}

std::vector<std::uint8_t> readModelBytes(const std::filesystem::path& file) {
    std::error_code ec;
    const auto status = std::filesystem::status(file, ec);
    if (ec) throw DataError(file.string(), 0, "cannot read model file: " + ec.message());
    if (!std::filesystem::is_regular_file(status))
        throw DataError(file.string(), 0, "not a model file (not a regular file)");
    const auto size = std::filesystem::file_size(file, ec);
    if (ec) throw DataError(file.string(), 0, "cannot read model file: " + ec.message());
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw DataError(file.string(), 0,
                        std::string("cannot open model file: ") + std::strerror(errno));
    // The magic first, so a large foreign file (a video picked by mistake) is never read whole.
    std::vector<std::uint8_t> bytes(std::min<std::uintmax_t>(size, 8));
    in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (bytes.size() < 8 || std::memcmp(bytes.data(), kModelFileMagic, 8) != 0)
        throw DataError(file.string(), 0, "not a Lens Atlas model file (magic LATLMODL missing)");
    bytes.resize(size);
    in.read(reinterpret_cast<char*>(bytes.data()) + 8, static_cast<std::streamsize>(size - 8));
    if (static_cast<std::uintmax_t>(in.gcount()) != size - 8)
        throw DataError(file.string(), 0, "cannot read model file (short read: did it shrink?)");
    return bytes;
}

}  // namespace

std::vector<std::uint8_t> serializeModel(const Recommender& model) {
    ModelWriter body;
    body.string(model.kind());
    body.string(model.displayName());
    body.string(model.datasetName());
    const SplitSpec& split = model.splitSpec();
    body.u32(static_cast<std::uint32_t>(split.kind));
    body.f64(split.fraction);
    body.u64(split.seed);
    body.u32(split.cutoff);
    body.string(split.predefined);
    body.u64(model.seed());
    body.u32(static_cast<std::uint32_t>(model.status()));
    body.u32(static_cast<std::uint32_t>(model.history().size()));
    for (const auto& s : model.history()) writeSnapshot(body, s);
    const HyperparameterList hyper = model.hyperparameters();
    body.u32(static_cast<std::uint32_t>(hyper.size()));
    for (const auto& h : hyper) {
        body.string(h.key);
        body.string(h.value);
    }
    body.int64s(model.userIds());
    body.int64s(model.movieIds());
    const RatingScale& scale = model.ratingScale();
    body.f32(scale.offset);
    body.f32(scale.step);
    body.f32(scale.min);
    body.f32(scale.max);
    body.u8(scale.implicit ? 1 : 0);
    ModelWriter payload;
    model.writePayload(payload);
    body.u64(payload.bytes().size());
    body.raw(payload.bytes().data(), payload.bytes().size());

    ModelWriter file;
    file.raw(kModelFileMagic, 8);
    file.u32(kModelFileVersion);
    file.u64(body.bytes().size());
    file.raw(body.bytes().data(), body.bytes().size());
    file.u32(crc32(file.bytes().data(), file.bytes().size()));
    return std::move(file.bytes());
}

void saveModel(const Recommender& model, const std::filesystem::path& file) {
    const std::vector<std::uint8_t> bytes = serializeModel(model);
    writeFileAtomically(
        file, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()), "model");
}

std::unique_ptr<Recommender> deserializeModel(const std::vector<std::uint8_t>& bytes,
                                              const std::string& file) {
    ParsedBody p = parseBody(bytes, file);
    // Imported factors load like any model but are not in the training registry.
    std::unique_ptr<Recommender> model;
    if (p.header.kind == ImportedFactors::kKind)
        model = std::make_unique<ImportedFactors>();
    else if (findRecommender(p.header.kind))
        model = createRecommender(p.header.kind);
    else
        throw DataError(file, 0, "unknown model kind '" + p.header.kind + "'");
    for (const auto& [key, value] : p.header.hyperparameters) {
        try {
            model->setHyperparameter(key, value);
        } catch (const std::invalid_argument& e) {
            throw DataError(file, 0,
                            std::string("corrupt model file (hyper-parameter ") + e.what() + ")");
        }
    }
    model->restoreBookkeeping(p.header.status, std::move(p.history), p.header.datasetName,
                              p.header.split, std::move(p.userIds), std::move(p.movieIds));
    model->restoreRatingScale(p.header.scale);  // before the payload: item-knn checks against it
    ModelReader payload(bytes.data() + p.payloadOffset, p.payloadSize, file);
    model->readPayload(payload);
    if (payload.remaining() != 0) payload.fail("corrupt model file (unread payload bytes)");
    return model;
}

std::unique_ptr<Recommender> loadModel(const std::filesystem::path& file) {
    return deserializeModel(readModelBytes(file), file.string());
}

ModelFileHeader readModelHeader(const std::filesystem::path& file) {
    return parseBody(readModelBytes(file), file.string()).header;
}

void checkModelMatchesDataset(const Recommender& model, const Dataset& dataset,
                              const std::string& file) {
    if (model.userIds() != dataset.userIds || model.movieIds() != dataset.movieIds)
        throw DataError(file, 0,
                        "model was trained on '" + model.datasetName() + "' (" +
                            std::to_string(model.userCount()) + " users, " +
                            std::to_string(model.itemCount()) + " movies), not on '" +
                            dataset.name + "' (" + std::to_string(dataset.userCount()) +
                            " users, " + std::to_string(dataset.movieCount()) + " movies)");
}

}  // namespace lens
