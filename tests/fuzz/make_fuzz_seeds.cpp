// Writes the seed corpora of the fuzz targets into tests/fuzz/corpus/<target>/ (committed; run
// again only when a format changes): the fixture files of every layout, zips of the fixture
// releases, and a saved model of every registered kind trained for one iteration on a tiny
// matrix (both as a whole file and as the body form of fuzz_model_file).
// Usage: make_fuzz_seeds CORPUS_DIR
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>

#include "FuzzFixtures.h"
#include "io/ZipWriter.h"
#include "models/ModelFile.h"
#include "models/RecommenderFactory.h"
#include "models/TrainData.h"

namespace fs = std::filesystem;
using namespace lens;

namespace {

void write(const fs::path& file, const std::string& bytes) {
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << bytes;
}

std::string zipBytes(const fs::path& temp, const fuzz::Files& files, const std::string& top,
                     ZipCompression compression) {
    std::vector<ZipEntryData> entries;
    for (const auto& [name, content] : files) entries.push_back({top + "/" + name, content});
    writeZipFile(temp, entries, compression);
    std::ifstream in(temp, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    fs::remove(temp);
    return bytes;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: make_fuzz_seeds CORPUS_DIR\n";
        return 2;
    }
    const fs::path out = argv[1];
    const auto csv = fuzz::csvRelease();
    for (const char* file : {"ratings", "movies", "tags", "links"})
        write(out / (std::string("fuzz_csv_") + file) / "fixture",
              csv.at(std::string(file) + ".csv"));
    const auto dat = fuzz::datRelease();
    const char* datFiles[] = {"ratings.dat", "movies.dat", "tags.dat"};
    for (char i = 0; i < 3; ++i)
        write(out / "fuzz_dat" / datFiles[int(i)], i + dat.at(datFiles[int(i)]));
    const auto k100 = fuzz::ml100kRelease();
    const char* k100Files[] = {"u.data", "u.item", "u.genre"};
    for (char i = 0; i < 3; ++i)
        write(out / "fuzz_ml100k" / k100Files[int(i)], i + k100.at(k100Files[int(i)]));

    const fs::path temp = fs::temp_directory_path() / "lens-atlas-seed.zip";
    write(out / "fuzz_zip" / "csv-deflate.zip",
          zipBytes(temp, csv, "ml-latest-small", ZipCompression::Deflate));
    write(out / "fuzz_zip" / "csv-store.zip",
          zipBytes(temp, csv, "ml-latest-small", ZipCompression::Store));
    write(out / "fuzz_zip" / "ml100k.zip",
          zipBytes(temp, k100, "ml-100k", ZipCompression::Deflate));

    // 4 users x 5 items, every model kind, one iteration, two factors.
    std::vector<RatingTriplet> train;
    for (std::uint32_t u = 0; u < 4; ++u)
        for (std::uint32_t i = 0; i < 5; ++i)
            if ((u + i) % 3 != 0) train.push_back({u, i, 0.5f + float((u * 7 + i * 3) % 10) / 2});
    const TrainData data = TrainData::fromTriplets(4, 5, train, {{0, 0, 4.0f}});
    for (const auto& d : recommenderRegistry()) {
        auto model = d.create();
        for (const auto& h : model->hyperparameters()) {
            if (h.key == "iterations" || h.key == "epochs") model->setHyperparameter(h.key, "1");
            if (h.key == "k" || h.key == "factors") model->setHyperparameter(h.key, "2");
        }
        model->fit(data);
        const std::vector<std::uint8_t> bytes = serializeModel(*model);
        const std::string file(bytes.begin(), bytes.end());
        write(out / "fuzz_model_file" / (d.name + ".file"), '\0' + file);
        // Body form: without magic, version, length (20 bytes) and CRC (4 bytes).
        write(out / "fuzz_model_file" / (d.name + ".body"),
              '\1' + file.substr(20, file.size() - 24));
    }
    std::cout << "seeds written to " << out << "\n";
    return 0;
}
