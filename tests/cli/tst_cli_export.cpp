// `lens-atlas export`: factors of saved models as .npz (read back here by an independent reader
// of the .npy format, written from numpy's published specification, and by numpy itself where
// /usr/bin/python3 has it), TensorBoard Projector TSV and CSV; values compared with the model
// file loaded through the engine. Bad input: usage errors, a model without factors, a model of
// another release, an unwritable output.
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>
#include <charconv>
#include <cstring>
#include <map>

#include "CliTestSupport.h"
#include "io/FileSource.h"
#include "models/ModelFile.h"

using lens::test::runLensAtlas;

namespace {

// One array as the .npy specification (version 1.0) describes it.
struct Npy {
    QString descr;
    bool fortran = true;
    QList<qint64> shape;
    QByteArray data;
    QString problem;  // empty when the file is well-formed
};

Npy parseNpy(const QByteArray& bytes) {
    Npy npy;
    if (bytes.size() < 10 || !bytes.startsWith(QByteArray("\x93NUMPY", 6))) {
        npy.problem = QStringLiteral("no .npy magic");
        return npy;
    }
    if (bytes[6] != 1 || bytes[7] != 0) {
        npy.problem = QStringLiteral("not version 1.0");
        return npy;
    }
    const int headerLength =
        static_cast<unsigned char>(bytes[8]) | (static_cast<unsigned char>(bytes[9]) << 8);
    if ((10 + headerLength) % 64 != 0) npy.problem = QStringLiteral("data not 64-byte aligned");
    const QString header = QString::fromLatin1(bytes.mid(10, headerLength));
    if (!header.endsWith(QLatin1Char('\n'))) npy.problem = QStringLiteral("header without newline");
    const auto descr = QRegularExpression(QStringLiteral("'descr':\\s*'([^']*)'")).match(header);
    const auto fortran =
        QRegularExpression(QStringLiteral("'fortran_order':\\s*(True|False)")).match(header);
    const auto shape =
        QRegularExpression(QStringLiteral("'shape':\\s*\\(([^)]*)\\)")).match(header);
    if (!descr.hasMatch() || !fortran.hasMatch() || !shape.hasMatch()) {
        npy.problem = QStringLiteral("header lacks descr, fortran_order or shape: ") + header;
        return npy;
    }
    npy.descr = descr.captured(1);
    npy.fortran = fortran.captured(1) == QLatin1String("True");
    for (const QString& n : shape.captured(1).split(QLatin1Char(','), Qt::SkipEmptyParts))
        npy.shape << n.trimmed().toLongLong();
    npy.data = bytes.mid(10 + headerLength);
    return npy;
}

template <typename T>
std::vector<T> values(const Npy& npy) {
    std::vector<T> out(static_cast<std::size_t>(npy.data.size()) / sizeof(T));
    std::memcpy(out.data(), npy.data.constData(), out.size() * sizeof(T));
    return out;
}

// The arrays of an .npz (a zip of NAME.npy entries), by name.
std::map<QString, Npy> readNpz(const QString& path) {
    std::map<QString, Npy> arrays;
    const auto zip = lens::FileSource::open(QFile::encodeName(path).toStdString());
    for (const std::string& name : zip->list()) {
        const QString entry = QString::fromStdString(name);
        if (!entry.endsWith(QLatin1String(".npy"))) continue;
        const std::string content = zip->read(name).content;
        arrays[entry.chopped(4)] = parseNpy(QByteArray(content.data(), qsizetype(content.size())));
    }
    return arrays;
}

// Rows of a factor matrix as the engine holds it, row-major.
std::vector<float> rowMajor(const Eigen::MatrixXf& m) {
    std::vector<float> out;
    out.reserve(static_cast<std::size_t>(m.size()));
    for (Eigen::Index r = 0; r < m.rows(); ++r)
        for (Eigen::Index c = 0; c < m.cols(); ++c) out.push_back(m(r, c));
    return out;
}

float parseFloat(const QString& text) {
    const QByteArray bytes = text.toLatin1();
    float value = std::numeric_limits<float>::quiet_NaN();
    std::from_chars(bytes.constData(), bytes.constData() + bytes.size(), value);
    return value;
}

}  // namespace

class TestCliExport : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString release_, als_, implicit_, bias_;

    QString path(const QString& name) const { return dir_.filePath(name); }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        release_ = lens::test::writeSyntheticTestRelease(dir_, 6000);
        als_ = path(QStringLiteral("als.model"));
        implicit_ = path(QStringLiteral("implicit.model"));
        bias_ = path(QStringLiteral("bias.model"));
        for (const auto& [model, file] : {std::pair{QStringLiteral("als"), als_},
                                          std::pair{QStringLiteral("als-implicit"), implicit_},
                                          std::pair{QStringLiteral("bias"), bias_}}) {
            QStringList args{QStringLiteral("train"),  release_, QStringLiteral("--model"), model,
                             QStringLiteral("--save"), file};
            if (model != QLatin1String("bias"))
                args << QStringLiteral("--iterations") << QStringLiteral("3");
            const auto run = runLensAtlas(args);
            QVERIFY2(run.exitCode == 0, run.err.constData());
        }
    }

    void npzHoldsTheModelsArrays_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<bool>("hasBiases");
        QTest::newRow("als (biased)") << QStringLiteral("als") << true;
        QTest::newRow("implicit als") << QStringLiteral("implicit") << false;
    }
    void npzHoldsTheModelsArrays() {
        QFETCH(QString, kind);
        QFETCH(bool, hasBiases);
        const QString modelFile = kind == QLatin1String("als") ? als_ : implicit_;
        const QString out = path(kind + QStringLiteral(".npz"));
        const auto run = runLensAtlas(
            {QStringLiteral("export"), release_, QStringLiteral("--model"), modelFile,
             QStringLiteral("--format"), QStringLiteral("npz"), QStringLiteral("--out"), out});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY(run.out.contains(out.toUtf8()));

        const auto model = lens::loadModel(QFile::encodeName(modelFile).toStdString());
        const auto arrays = readNpz(out);
        for (const auto& [name, npy] : arrays)
            QVERIFY2(npy.problem.isEmpty(), qPrintable(name + ": " + npy.problem));
        QCOMPARE(arrays.count(QStringLiteral("item_biases")), std::size_t(hasBiases));
        QCOMPARE(arrays.count(QStringLiteral("global_mean")), std::size_t(hasBiases));

        const Eigen::MatrixXf users = model->userFactors(), items = model->itemFactors();
        const Npy& u = arrays.at(QStringLiteral("user_factors"));
        const Npy& i = arrays.at(QStringLiteral("item_factors"));
        QCOMPARE(u.descr, QStringLiteral("<f4"));
        QVERIFY(!u.fortran);
        QCOMPARE(u.shape, (QList<qint64>{users.rows(), users.cols()}));
        QCOMPARE(i.shape, (QList<qint64>{items.rows(), items.cols()}));
        QVERIFY(values<float>(u) == rowMajor(users));
        QVERIFY(values<float>(i) == rowMajor(items));

        const Npy& userIds = arrays.at(QStringLiteral("user_ids"));
        QCOMPARE(userIds.descr, QStringLiteral("<i8"));
        QCOMPARE(userIds.shape, QList<qint64>{qint64(model->userCount())});
        QVERIFY(values<std::int64_t>(userIds) == model->userIds());
        QVERIFY(values<std::int64_t>(arrays.at(QStringLiteral("item_ids"))) == model->movieIds());
        if (hasBiases) {
            QVERIFY(values<float>(arrays.at(QStringLiteral("item_biases"))) == model->itemBiases());
            const Npy& mean = arrays.at(QStringLiteral("global_mean"));
            QCOMPARE(mean.descr, QStringLiteral("<f8"));
            QVERIFY(mean.shape.isEmpty());  // 0-d
            QCOMPARE(values<double>(mean).at(0), model->globalMean());
        }

        // numpy's own reader, where the machine has it (a reference, never a dependency).
        if (!QFile::exists(QStringLiteral("/usr/bin/python3"))) return;
        QProcess python;
        python.start(QStringLiteral("/usr/bin/python3"),
                     {QStringLiteral("-c"),
                      QStringLiteral("import sys, numpy\n"
                                     "z = numpy.load(sys.argv[1])\n"
                                     "print(z['user_factors'].shape, z['item_factors'].dtype,"
                                     " repr(float(z['item_factors'].sum())))"),
                      out});
        QVERIFY(python.waitForFinished(60'000));
        if (python.exitCode() != 0) {
            if (python.readAllStandardError().contains("No module named 'numpy'"))
                return;  // no numpy here: the independent reader above has checked the file
            QFAIL("numpy could not read the archive");
        }
        double sum = 0;  // float32 summed by numpy in pairwise order; compare loosely
        for (float v : rowMajor(items)) sum += v;
        const QString printed = QString::fromLatin1(python.readAllStandardOutput()).trimmed();
        QVERIFY2(printed.startsWith(
                     QStringLiteral("(%1, %2) float32").arg(users.rows()).arg(users.cols())),
                 qPrintable(printed));
        const double numpySum = printed.section(QLatin1Char(' '), -1).toDouble();
        QVERIFY2(std::abs(numpySum - sum) <= 1e-3 * (1 + std::abs(sum)), qPrintable(printed));
    }

    void projectorWritesVectorsAndMetadata() {
        const QString out = path(QStringLiteral("projector"));
        const auto run = runLensAtlas({QStringLiteral("export"), release_,
                                       QStringLiteral("--model"), als_, QStringLiteral("--format"),
                                       QStringLiteral("projector"), QStringLiteral("--out"), out});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const auto model = lens::loadModel(QFile::encodeName(als_).toStdString());
        const Eigen::MatrixXf items = model->itemFactors();

        const QStringList vectors = QString::fromUtf8(lens::test::readAll(out + "/vectors.tsv"))
                                        .split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(vectors.size(), items.rows());
        for (int r = 0; r < vectors.size(); ++r) {
            const QStringList fields = vectors[r].split(QLatin1Char('\t'));
            QCOMPARE(fields.size(), items.cols());
            for (int f = 0; f < fields.size(); ++f) QCOMPARE(parseFloat(fields[f]), items(r, f));
        }
        const QStringList metadata = QString::fromUtf8(lens::test::readAll(out + "/metadata.tsv"))
                                         .split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(metadata.size(), items.rows() + 1);  // a header line: more than one column
        QCOMPARE(metadata[0], QStringLiteral("title\tyear\tgenres\tratings"));
        // The ratings column counts each movie's ratings in the release's ratings.csv.
        std::map<QString, int> counts;
        const QStringList lines = QString::fromUtf8(lens::test::readAll(release_ + "/ratings.csv"))
                                      .split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        for (int l = 1; l < lines.size(); ++l) ++counts[lines[l].section(QLatin1Char(','), 1, 1)];
        for (int r = 0; r < items.rows(); ++r) {
            const QStringList fields = metadata[r + 1].split(QLatin1Char('\t'));
            QCOMPARE(fields.size(), 4);
            QCOMPARE(fields[3].toInt(),
                     counts[QString::number(model->movieIds()[static_cast<std::size_t>(r)])]);
        }
    }

    void csvWritesIdsAndFactors() {
        const QString out = path(QStringLiteral("csv"));
        const auto run = runLensAtlas(
            {QStringLiteral("export"), release_, QStringLiteral("--model"), implicit_,
             QStringLiteral("--format"), QStringLiteral("csv"), QStringLiteral("--out"), out});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const auto model = lens::loadModel(QFile::encodeName(implicit_).toStdString());
        for (const bool user : {true, false}) {
            const Eigen::MatrixXf factors = user ? model->userFactors() : model->itemFactors();
            const auto& ids = user ? model->userIds() : model->movieIds();
            const QStringList lines =
                QString::fromUtf8(
                    lens::test::readAll(out + (user ? "/user_factors.csv" : "/item_factors.csv")))
                    .split(QLatin1Char('\n'), Qt::SkipEmptyParts);
            QCOMPARE(lines.size(), factors.rows() + 1);
            QCOMPARE(lines[0].split(QLatin1Char(',')).size(), factors.cols() + 1);
            QCOMPARE(lines[0].section(QLatin1Char(','), -1),
                     QStringLiteral("f%1").arg(factors.cols()));
            for (int r = 0; r < factors.rows(); ++r) {
                const QStringList fields = lines[r + 1].split(QLatin1Char(','));
                QCOMPARE(fields[0].toLongLong(), ids[static_cast<std::size_t>(r)]);
                for (int f = 0; f < factors.cols(); ++f)
                    QCOMPARE(parseFloat(fields[f + 1]), factors(r, f));
            }
        }
    }

    void badInputIsRefused() {
        const QString npz = path(QStringLiteral("refused.npz"));
        auto exportWith = [&](QStringList extra) {
            return runLensAtlas(QStringList{QStringLiteral("export")} + extra);
        };
        // Usage: missing options, an unknown format.
        auto run =
            exportWith({release_, QStringLiteral("--model"), als_, QStringLiteral("--out"), npz});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.err.contains("missing --format"));
        run = exportWith({release_, QStringLiteral("--model"), als_, QStringLiteral("--format"),
                          QStringLiteral("hdf5"), QStringLiteral("--out"), npz});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.err.contains("bad --format 'hdf5'"));
        // A model without factors.
        run = exportWith({release_, QStringLiteral("--model"), bias_, QStringLiteral("--format"),
                          QStringLiteral("npz"), QStringLiteral("--out"), npz});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("has no user and item factors"), run.err.constData());
        // A model trained on another release, named with the model file.
        run = exportWith({QStringLiteral("demo"), QStringLiteral("--model"), als_,
                          QStringLiteral("--format"), QStringLiteral("npz"),
                          QStringLiteral("--out"), npz});
        QCOMPARE(run.exitCode, 3);
        QVERIFY2(run.err.contains(als_.toUtf8()) && run.err.contains("was trained on"),
                 run.err.constData());
        QVERIFY(!QFile::exists(npz));
        // An output inside a file (cannot be created): the path is named, nothing is left.
        const QString blocker = path(QStringLiteral("blocker"));
        lens::test::writeFile(blocker, "x");
        run = exportWith({release_, QStringLiteral("--model"), als_, QStringLiteral("--format"),
                          QStringLiteral("csv"), QStringLiteral("--out"), blocker + "/sub"});
        QCOMPARE(run.exitCode, 3);
        QVERIFY2(run.err.contains("blocker/sub"), run.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestCliExport)
#include "tst_cli_export.moc"
