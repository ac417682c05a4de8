// Writes the seed corpora of the fuzz targets into tests/fuzz/corpus/<target>/ (committed; run
// again only when a format changes): the fixture files of every layout, zips of the fixture
// releases, a saved model of every registered kind trained for one iteration on a tiny
// matrix (both as a whole file and as the body form of fuzz_model_file), the shipped persona
// presets (as in the resource and as PersonaStore writes them) and a run history index as the
// Train panel saves it (completed, stopped, failed and interrupted runs of several model kinds).
// Usage: make_fuzz_seeds CORPUS_DIR
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <stdexcept>

#include "FuzzFixtures.h"
#include "LensAtlasApp.h"
#include "io/ZipWriter.h"
#include "models/ModelFile.h"
#include "models/RecommenderFactory.h"
#include "models/TrainData.h"
#include "rank/PersonaStore.h"
#include "train/RunHistoryModel.h"

namespace fs = std::filesystem;
using namespace lens;

namespace {

void write(const fs::path& file, const std::string& bytes) {
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << bytes;
}

std::string bytesOf(const QString& file) {
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly)) throw std::runtime_error("cannot read " + file.toStdString());
    return f.readAll().toStdString();
}

// A run as the Train panel records it: the model's own hyper-parameters (without the seed),
// one snapshot per iteration with the metrics the model reports.
ui::RunRecord runRecord(const std::string& kind, int runNumber, int iterations, int finished,
                        ui::RunStatus status, const std::string& split) {
    auto model = createRecommender(kind);
    ui::RunRecord r;
    r.id = QStringLiteral("20261127-0322%1-1").arg(runNumber, 2, 10, QChar('0'));
    r.spec.modelKind = QString::fromStdString(kind);
    for (const auto& h : model->hyperparameters())
        if (h.key != "seed")
            r.spec.hyperparameters.append(
                {QString::fromStdString(h.key), QString::fromStdString(h.value)});
    r.spec.seed = 42 + std::uint64_t(runNumber);
    r.spec.split = SplitSpec::parse(split, r.spec.seed);
    r.modelDisplayName = QString::fromStdString(findRecommender(kind)->displayName);
    r.datasetName = QStringLiteral("ml-latest-small");
    r.status = status;
    r.started = QDateTime(QDate(2026, 11, 27), QTime(3, 22, runNumber, 125), Qt::UTC);
    const bool ranking = findRecommender(kind)->ranking;
    for (int i = 1; i <= finished; ++i) {
        TrainingSnapshot s;
        s.iteration = i;
        s.totalIterations = iterations;
        s.seconds = 0.25 + 0.01 * i;
        s.evalSeconds = 0.03125;
        s.elapsedSeconds = s.seconds * i;
        s.trainRmse = 0.9 - 0.05 * i;
        s.objective = 81234.5 / i;
        if (ranking && i % 2 == 0) {  // ranking metrics every second iteration
            s.hr10 = 0.4 + 0.02 * i;
            s.ndcg10 = 0.2 + 0.01 * i;
        } else if (!ranking) {
            s.testRmse = 0.95 - 0.01 * i;
            s.testMae = 0.74 - 0.01 * i;
        }
        r.history.push_back(s);
    }
    r.durationSeconds = finished * 0.3 + 0.5;
    if (status == ui::RunStatus::Completed || status == ui::RunStatus::Stopped)
        r.modelFile = r.id + QStringLiteral(".lamodel");
    if (status == ui::RunStatus::Stopped)
        r.message =
            QStringLiteral("stopped after %1 of %2 iterations").arg(finished).arg(iterations);
    if (status == ui::RunStatus::Failed)
        r.message = QStringLiteral("not enough memory: needs 3.2 GiB, 1.1 GiB available");
    return r;
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
    const char* datFiles[] = {"ratings.dat", "movies.dat", "tags.dat", "users.dat"};
    for (char i = 0; i < 4; ++i)
        write(out / "fuzz_dat" / datFiles[int(i)], i + dat.at(datFiles[int(i)]));
    const auto k100 = fuzz::ml100kRelease();
    const char* k100Files[] = {"u.data", "u.item", "u.genre", "u.user"};
    for (char i = 0; i < 4; ++i)
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

    // Personas: the shipped resource as it is, and the presets as PersonaStore writes them.
    ui::initResources();
    write(out / "fuzz_personas" / "presets.json",
          bytesOf(QString::fromLatin1(ui::kPresetPersonaResource)));
    write(out / "fuzz_personas" / "presets-serialized.json",
          ui::PersonaStore::serialize(ui::PersonaStore::presets()).toStdString());

    // Run history: runs.json as RunHistoryModel::save writes it (one index of five runs and
    // one of a single run).
    QTemporaryDir runsDir;
    ui::RunHistoryModel history;
    history.setFolder(runsDir.path());
    history.addRun(runRecord("als", 1, 3, 3, ui::RunStatus::Completed, "per-user:0.2"));
    history.addRun(runRecord("neumf", 2, 4, 2, ui::RunStatus::Stopped, "loo"));
    history.addRun(runRecord("bias", 3, 2, 0, ui::RunStatus::Failed, "random:0.1"));
    history.addRun(runRecord("als-implicit", 4, 3, 1, ui::RunStatus::Running, "time:1200000000"));
    history.addRun(runRecord("gmf", 5, 2, 2, ui::RunStatus::Cancelled, "ml100k:u1"));
    QString error;
    if (!history.save(&error)) throw std::runtime_error(error.toStdString());
    write(out / "fuzz_run_history" / "runs.json", bytesOf(history.indexPath()));
    ui::RunHistoryModel single;
    single.setFolder(runsDir.filePath("single"));
    single.addRun(runRecord("als-genre", 6, 2, 2, ui::RunStatus::Completed, "per-user:20%"));
    if (!single.save(&error)) throw std::runtime_error(error.toStdString());
    write(out / "fuzz_run_history" / "single-run.json", bytesOf(single.indexPath()));

    std::cout << "seeds written to " << out << "\n";
    return 0;
}
