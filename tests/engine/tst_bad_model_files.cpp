// Saved models that are foreign, damaged or unreadable, and saving when the disk refuses the
// bytes (engine/models/ModelFile): every case expects a DataError naming the file, never a crash.
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>
#include <csignal>
#include <cstring>
#include <memory>

#include "FileBytes.h"
#include "models/AlsModel.h"
#include "models/ModelFile.h"
#include "models/TrainData.h"

using namespace lens;
using namespace lens::test;

namespace {

// A model file to read back and to overwrite: a tiny ALS fit.
std::unique_ptr<Recommender> tinyModel() {
    std::vector<RatingTriplet> train;
    for (std::uint32_t u = 0; u < 6; ++u)
        for (std::uint32_t i = 0; i < 8; ++i)
            if ((u + i) % 3) train.push_back({u, i, 0.5f + float((u * 5 + i * 3) % 10) / 2});
    auto model = std::make_unique<AlsModel>();
    model->setHyperparameter("k", "4");
    model->setHyperparameter("iterations", "2");
    model->fit(TrainData::fromTriplets(6, 8, train, {{0, 0, 4.0f}}));
    return model;
}

// Replaces the body of a model file (bytes 20 .. size-4) and fixes length and CRC.
QByteArray withBody(const QByteArray& file, const QByteArray& body) {
    QByteArray out = file.left(12);
    const quint64 n = quint64(body.size());
    out.append(reinterpret_cast<const char*>(&n), 8);
    out.append(body);
    const quint32 crc =
        crc32(reinterpret_cast<const std::uint8_t*>(out.constData()), std::size_t(out.size()));
    out.append(reinterpret_cast<const char*>(&crc), 4);
    return out;
}

}  // namespace

class TestBadModelFiles : public QObject {
    Q_OBJECT

private:
    QTemporaryDir tmp_;
    int counter_ = 0;

private slots:
    void initTestCase() { QVERIFY(tmp_.isValid()); }

    // Saved models: reading foreign, damaged or unreadable files, and saving when the disk
    // refuses the bytes. Every row expects a DataError naming the file; saving rows also check
    // that the model saved earlier at the same path is still there byte for byte and that no
    // temporary file is left behind.
    void modelFiles_data() {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<QString>("fragment");
        QTest::newRow("empty file") << "empty"
                                    << "magic LATLMODL missing";
        QTest::newRow("a CSV file") << "csv"
                                    << "magic LATLMODL missing";
        QTest::newRow("truncated to half") << "half"
                                           << "truncated or corrupt model file";
        QTest::newRow("one byte flipped") << "flip"
                                          << "checksum mismatch";
        QTest::newRow("newer format version") << "version"
                                              << "version 99 is not supported";
        QTest::newRow("unknown model kind") << "kind"
                                            << "unknown model kind 'xyz'";
        QTest::newRow("string length 4 GiB") << "hugeString"
                                             << "truncated or corrupt";
        QTest::newRow("a folder") << "folder"
                                  << "not a regular file";
        QTest::newRow("missing file") << "missing"
                                      << "cannot read model file";
        QTest::newRow("unreadable (chmod 000)") << "unreadable"
                                                << "Permission denied";
        QTest::newRow("save: write fails (injected, RLIMIT_FSIZE)")
            << "saveFsize"
            << "cannot write model: File too large";
        QTest::newRow("save: disk full (64 KiB tmpfs)")
            << "saveTmpfs"
            << "cannot write model: No space left on device";
        QTest::newRow("save: folder missing") << "saveNoFolder"
                                              << "cannot write model: No such file or directory";
    }

    void modelFiles() {
        QFETCH(QString, scenario);
        QFETCH(QString, fragment);
        if (scenario == "unreadable" && ::geteuid() == 0)
            QSKIP(
                "running as root: chmod 000 does not stop root from reading; run the tests as "
                "a normal user to check this row");
        const QString dir = tmp_.filePath(QString("model%1").arg(++counter_));
        QVERIFY(QDir().mkpath(dir));
        QString path = dir + "/als.model";
        const auto model = tinyModel();
        saveModel(*model, path.toStdString());
        const QByteArray saved = readAll(path);
        QVERIFY(saved.size() > 200);

        if (scenario.startsWith("save")) {
            std::string error;
            bool mounted = false;
            if (scenario == "saveNoFolder") path = dir + "/gone/als.model";
            if (scenario == "saveTmpfs") {
                const QByteArray mnt = QFile::encodeName(dir + "/tmpfs");
                QVERIFY(QDir().mkpath(dir + "/tmpfs"));
                if (::mount("tmpfs", mnt.constData(), "tmpfs", 0, "size=64k") != 0)
                    QSKIP(qPrintable(QString("cannot mount a tmpfs here (%1; needs root): the "
                                             "injected write failure row covers saving")
                                         .arg(std::strerror(errno))));
                mounted = true;
                path = dir + "/tmpfs/als.model";
                saveModel(*model, path.toStdString());  // the earlier file, on the small disk
                // Fill the disk, leaving less than one model.
                QFile filler(dir + "/tmpfs/filler");
                QVERIFY(filler.open(QIODevice::WriteOnly));
                const QByteArray block(1024, 'x');
                while (filler.write(block) == block.size() && filler.flush()) {
                }
                filler.close();
            }
            rlimit old{};
            if (scenario == "saveFsize") {
                // Writes beyond 100 bytes fail with EFBIG (SIGXFSZ ignored): a disk that fills up
                // partway through the model.
                std::signal(SIGXFSZ, SIG_IGN);
                ::getrlimit(RLIMIT_FSIZE, &old);
                rlimit small = old;
                small.rlim_cur = 100;
                ::setrlimit(RLIMIT_FSIZE, &small);
            }
            try {
                saveModel(*model, path.toStdString());
            } catch (const DataError& e) {
                error = e.what();
                QVERIFY2(QString::fromStdString(e.file()) == path, e.what());
            }
            if (scenario == "saveFsize") ::setrlimit(RLIMIT_FSIZE, &old);
            const QByteArray after = readAll(path);
            const QStringList left = QDir(QFileInfo(path).absolutePath())
                                         .entryList({"*.tmp-*"}, QDir::Files | QDir::Hidden);
            if (mounted) ::umount2(QFile::encodeName(dir + "/tmpfs").constData(), MNT_DETACH);
            QVERIFY2(!error.empty(), "saving succeeded although the disk refused the bytes");
            QVERIFY2(QString::fromStdString(error).contains(fragment), error.c_str());
            if (scenario != "saveNoFolder") {
                QVERIFY2(after == saved, "the earlier saved model was damaged");
                QVERIFY2(left.isEmpty(), qPrintable(left.join(", ")));
            }
            return;
        }

        QByteArray bytes = saved;
        if (scenario == "empty") bytes.clear();
        if (scenario == "csv") bytes = "userId,movieId,rating,timestamp\n1,10,4.0,964982703\n";
        if (scenario == "half") bytes.truncate(bytes.size() / 2);
        if (scenario == "flip") bytes[bytes.size() / 2] = char(bytes[bytes.size() / 2] ^ 0x10);
        if (scenario == "version") {
            put32(bytes, 8, 99);
            bytes = withBody(bytes, saved.mid(20, saved.size() - 24));
        }
        if (scenario == "kind") {
            QByteArray body = saved.mid(20, saved.size() - 24);
            QCOMPARE(body.mid(4, 3), QByteArray("als"));
            body.replace(4, 3, "xyz");
            bytes = withBody(saved, body);
        }
        if (scenario == "hugeString") {
            QByteArray body = saved.mid(20, saved.size() - 24);
            put32(body, 0, 0xFFFFFFFFU);
            bytes = withBody(saved, body);
        }
        if (scenario == "folder") {
            QFile::remove(path);
            QVERIFY(QDir().mkpath(path));
        } else if (scenario == "missing") {
            QFile::remove(path);
        } else {
            writeAll(path, bytes);
        }
        if (scenario == "unreadable") QVERIFY(::chmod(QFile::encodeName(path).constData(), 0) == 0);
        for (const bool headerOnly : {false, true}) {
            try {
                if (headerOnly)
                    readModelHeader(path.toStdString());
                else
                    loadModel(path.toStdString());
                if (scenario == "kind" && headerOnly) continue;  // the header is readable
                QFAIL(qPrintable("no error; expected " + fragment));
            } catch (const DataError& e) {
                QVERIFY2(QString::fromStdString(e.problem()).contains(fragment), e.what());
                QCOMPARE(QString::fromStdString(e.file()), path);
                QCOMPARE(e.line(), std::size_t(0));
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestBadModelFiles)
#include "tst_bad_model_files.moc"
