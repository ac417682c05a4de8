#pragma once
// One versioned binary file format for every trained Recommender.
//
// Layout (little-endian, as written by x86-64 and ARM64):
//   "LATLMODL"              8-byte magic
//   u32 format version      (kModelFileVersion)
//   u64 body length         bytes between this field and the checksum
//   body:
//     string kind ("als"), string displayName, string datasetName
//     split: u32 kind, f64 fraction, u64 seed, u32 cutoff, string predefined
//     u64 model seed, u32 status, history (u32 count, each snapshot as fields)
//     hyper-parameters (u32 count, key/value strings)
//     user ids, movie ids (u64 count + i64 values)
//     version 2+: rating scale (f32 offset, f32 step, f32 min, f32 max, u8 implicit); a
//       version 1 file has none and reads back as MovieLens half stars (0.5..5)
//     payload (u64 length + bytes) written by the model's writePayload()
//   u32 CRC-32 (IEEE) of everything before it
// Strings are u32 length + UTF-8 bytes. Every length is bounds-checked against the bytes left
// before anything is allocated, so a corrupt, truncated or foreign file fails with a DataError
// naming the file, never a crash or a huge allocation. Files are written atomically (temp
// file in the same folder, fsync, rename).
#include <Eigen/Core>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "data/Dataset.h"
#include "models/Recommender.h"

namespace lens {

inline constexpr std::uint32_t kModelFileVersion = 2;
inline constexpr char kModelFileMagic[9] = "LATLMODL";

// Appends little-endian fields to a byte buffer.
class ModelWriter {
public:
    void u8(std::uint8_t v) { bytes_.push_back(v); }
    void u32(std::uint32_t v) { raw(&v, sizeof v); }
    void u64(std::uint64_t v) { raw(&v, sizeof v); }
    void i64(std::int64_t v) { raw(&v, sizeof v); }
    void f32(float v) { raw(&v, sizeof v); }
    void f64(double v) { raw(&v, sizeof v); }
    void string(const std::string& s);
    void floats(const std::vector<float>& v);
    void int64s(const std::vector<std::int64_t>& v);
    void matrix(const Eigen::MatrixXf& m);  // u64 rows, u64 cols, row-major floats
    void vector(const Eigen::VectorXf& v);
    void raw(const void* data, std::size_t n);
    const std::vector<std::uint8_t>& bytes() const { return bytes_; }
    std::vector<std::uint8_t>& bytes() { return bytes_; }

private:
    std::vector<std::uint8_t> bytes_;
};

// Reads fields back, throwing DataError(file, 0, "truncated ...") when a field or a length
// runs past the end of the buffer.
class ModelReader {
public:
    ModelReader(const std::uint8_t* data, std::size_t size, std::string file)
        : data_(data), size_(size), file_(std::move(file)) {}
    std::uint8_t u8();
    std::uint32_t u32();
    std::uint64_t u64();
    std::int64_t i64();
    float f32();
    double f64();
    std::string string();
    std::vector<float> floats();
    std::vector<std::int64_t> int64s();
    Eigen::MatrixXf matrix();
    Eigen::VectorXf vector();
    void raw(void* out, std::size_t n);
    std::size_t remaining() const { return size_ - pos_; }
    [[noreturn]] void fail(const std::string& problem) const;  // throws DataError(file, 0, problem)
    const std::string& file() const { return file_; }

private:
    void need(std::size_t n, const char* what);
    const std::uint8_t* data_;
    std::size_t size_;
    std::size_t pos_ = 0;
    std::string file_;
};

// What a model file says about itself without building the model.
struct ModelFileHeader {
    std::uint32_t version = 0;
    std::string kind;
    std::string displayName;
    std::string datasetName;
    SplitSpec split;
    std::uint64_t seed = 0;
    FitStatus status = FitStatus::Untrained;
    std::vector<std::pair<std::string, std::string>> hyperparameters;
    std::size_t users = 0;
    std::size_t movies = 0;
    RatingScale scale;  // of the training data (version 1 files: half stars)
};

std::uint32_t crc32(const std::uint8_t* data, std::size_t size);

// Serialises to bytes / writes atomically; throws DataError naming the file on I/O failure.
std::vector<std::uint8_t> serializeModel(const Recommender& model);
void saveModel(const Recommender& model, const std::filesystem::path& file);

// Loads a model of any registered kind (RecommenderFactory); throws DataError naming the file
// for a foreign, corrupt, truncated or newer-version file, or an unknown model kind.
std::unique_ptr<Recommender> loadModel(const std::filesystem::path& file);
std::unique_ptr<Recommender> deserializeModel(const std::vector<std::uint8_t>& bytes,
                                              const std::string& file);
ModelFileHeader readModelHeader(const std::filesystem::path& file);

// Throws DataError(file, 0, ...) when the model's user and movie ids do not match `dataset`
// (the model was trained on another release), so panels never score with mismatched indices.
void checkModelMatchesDataset(const Recommender& model, const Dataset& dataset,
                              const std::string& file);

}  // namespace lens
