// Replays every committed fuzz input through the reader its target fuzzes, in the normal test
// suite (and so under ASan/UBSan/LSan in CI): the seed corpora (tests/fuzz/corpus/<target>/,
// valid files that must load) and the regressions (tests/fuzz/regressions/<target>/, inputs
// that once crashed, leaked, hung or hit UB; each must now end in a clear DataError or load).
// The mapping from target to reader is the same as in tests/fuzz/fuzz_*.cpp.
#include <QDir>
#include <QDirIterator>
#include <QtTest>

#include "../fuzz/FuzzFixtures.h"
#include "../fuzz/InteractionFuzzing.h"
#include "io/DatasetLoader.h"
#include "io/FactorImport.h"
#include "io/NpyFormat.h"
#include "io/ZipFileSource.h"
#include "models/ModelFile.h"

using namespace lens;

namespace {

enum class Outcome { Loaded, Rejected };

// Throws whatever the reader throws other than DataError (a test failure).
Outcome replay(const QString& target, const QByteArray& input, std::string& message) {
    const auto* data = reinterpret_cast<const std::uint8_t*>(input.constData());
    const auto size = std::size_t(input.size());
    try {
        if (target.startsWith("fuzz_csv_") || target == "fuzz_dat" || target == "fuzz_ml100k") {
            fuzz::Files files;
            std::string name;
            std::string bytes(input.constData(), size);
            if (target.startsWith("fuzz_csv_")) {
                files = fuzz::csvRelease();
                name = target.mid(9).toStdString() + ".csv";
            } else {
                if (bytes.empty()) return Outcome::Rejected;
                static const char* const dat[] = {"ratings.dat", "movies.dat", "tags.dat",
                                                  "users.dat"};
                static const char* const k100[] = {"u.data", "u.item", "u.genre", "u.user"};
                const auto pick = static_cast<unsigned char>(bytes[0]) % 4;
                files = target == "fuzz_dat" ? fuzz::datRelease() : fuzz::ml100kRelease();
                name = target == "fuzz_dat" ? dat[pick] : k100[pick];
                bytes.erase(0, 1);
            }
            files[name] = bytes;
            Outcome outcome = Outcome::Loaded;
            for (const bool lenient : {false, true}) {
                LoadOptions options;
                options.lenient = lenient;
                try {
                    const Dataset ds = loadDatasetFromMemory(files, "fuzz", options);
                    if (ds.ratingCount() == 0) throw std::logic_error("dataset without ratings");
                } catch (const DataError& e) {
                    message = e.what();
                    outcome = Outcome::Rejected;
                }
            }
            return outcome;
        }
        if (target == "fuzz_zip") {
            ZipLimits limits;
            limits.maxEntryBytes = std::uint64_t{16} << 20;
            auto zip =
                ZipFileSource::openBytes(std::string(input.constData(), size), "fuzz.zip", limits);
            for (const auto& name : zip->list())
                if (zip->read(name).content.size() != zip->size(name))
                    throw std::logic_error("entry size differs from its declared size");
            return Outcome::Loaded;
        }
        if (target == "fuzz_model_file") {
            if (size == 0) return Outcome::Rejected;
            std::vector<std::uint8_t> bytes;
            if (data[0] & 1U) {
                ModelWriter w;
                w.raw(kModelFileMagic, 8);
                w.u32(kModelFileVersion);
                w.u64(size - 1);
                w.raw(data + 1, size - 1);
                w.u32(crc32(w.bytes().data(), w.bytes().size()));
                bytes = std::move(w.bytes());
            } else {
                bytes.assign(data + 1, data + size);
            }
            auto model = deserializeModel(bytes, "fuzz.model");
            if (model->userCount() > 0 && model->itemCount() > 0 &&
                model->status() != FitStatus::Untrained)
                (void)model->predict(0, 0);
            return Outcome::Loaded;
        }
        if (target == "fuzz_npy") {
            const NpyArray array =
                parseNpy(std::string_view(input.constData(), size), "x", "fuzz.npz");
            (void)npyAsDoubles(array, "fuzz.npz");
            try {
                (void)npyAsInt64s(array, "fuzz.npz");  // float arrays are not ids: an error
            } catch (const DataError&) {
            }
            return Outcome::Loaded;
        }
        if (target == "fuzz_interactions") {
            const auto ds = fuzz::readFuzzInteractions(data, size);
            if (!ds) message = "fuzz: a mapping that uses one column twice";
            return ds ? Outcome::Loaded : Outcome::Rejected;
        }
        if (target == "fuzz_factor_text") {
            if (size == 0) return Outcome::Rejected;
            std::vector<std::int64_t> ids;
            std::vector<float> values;
            std::vector<std::size_t> lines;
            std::size_t k = 0;
            parseFactorText(std::string_view(input.constData() + 1, size - 1), (data[0] & 1U) != 0,
                            "fuzz-part", ids, values, lines, k);
            if (values.size() != ids.size() * k || lines.size() != ids.size())
                throw std::logic_error("factor rows and values disagree");
            return ids.empty() ? Outcome::Rejected : Outcome::Loaded;
        }
    } catch (const DataError& e) {
        message = e.what();
        return Outcome::Rejected;
    }
    throw std::logic_error("no reader for target " + target.toStdString());
}

}  // namespace

class TestFuzzRegressions : public QObject {
    Q_OBJECT

private slots:
    void replayInputs_data() {
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("file");
        QTest::addColumn<bool>("mustLoad");  // seeds are valid files
        const QString fuzzDir = QFINDTESTDATA("../fuzz");
        QVERIFY2(!fuzzDir.isEmpty(), "tests/fuzz not found");
        int rows = 0;
        for (const char* kind : {"corpus", "regressions"}) {
            QDirIterator it(fuzzDir + "/" + kind, QDir::Files, QDirIterator::Subdirectories);
            while (it.hasNext()) {
                const QString file = it.next();
                const QString target = QFileInfo(file).dir().dirName();
                // The readers of our own UI files need the UI library: replayed by
                // tests/ui/tst_fuzz_regressions_ui.
                if (target == "fuzz_personas" || target == "fuzz_run_history") continue;
                QTest::newRow(qPrintable(QString("%1/%2/%3").arg(kind, target, it.fileName())))
                    << target << file << (QString(kind) == "corpus");
                ++rows;
            }
        }
        QVERIFY2(rows >= 20, "the seed corpora are missing");
    }

    void replayInputs() {
        QFETCH(QString, target);
        QFETCH(QString, file);
        QFETCH(bool, mustLoad);
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        std::string message;
        const Outcome outcome = replay(target, f.readAll(), message);
        if (mustLoad) QVERIFY2(outcome == Outcome::Loaded, message.c_str());
        if (outcome == Outcome::Rejected) {
            QVERIFY2(!message.empty() && message.size() < 600, message.c_str());
            QVERIFY2(message.rfind("fuzz", 0) == 0, message.c_str());  // names the file
        }
    }
};

QTEST_GUILESS_MAIN(TestFuzzRegressions)
#include "tst_fuzz_regressions.moc"
