// The Compare stage on finished Train stage runs: each run's per-user metrics file (written by
// the Train stage when the run finished) is what the comparison shows for the columns it holds,
// not a recomputation from the model; the status line says per model where its per-user metrics
// came from, and a run whose file has gone is computed with the reason.
#include <QFile>
#include <QLabel>
#include <QSignalSpy>
#include <QSpinBox>

#include "UiTestSetup.h"
#include "compare/ComparePanel.h"
#include "compare/CompareRunPicker.h"
#include "data/Split.h"
#include "io/RunHistoryFile.h"
#include "models/ModelFile.h"
#include "models/TrainData.h"
#include "tst_train_fixture.h"
#include "tuning/ValidatedTraining.h"

using namespace lens;
using namespace lens::ui;
using namespace lens::test;

class TstCompareStoredRuns : public QObject, TrainFixture {
    Q_OBJECT

    std::unique_ptr<TrainPanel> train_;
    std::unique_ptr<ComparePanel> compare_;
    QStringList runs_;

    QString perUserPath(const QString& runId) const {
        return QDir(runFolder()).filePath(train_->history()->find(runId)->perUserFile);
    }

    void compareBoth() {
        compare_->runPicker()->setCheckedRuns(runs_);
        QSignalSpy finished(compare_.get(), &ComparePanel::comparisonFinished);
        QVERIFY2(compare_->compare(), qPrintable(compare_->statusLabel()->text()));
        QVERIFY(finished.wait(120000));
    }

public:
    static void initMain() { lens::test::useOffscreenPlatform(); }

private slots:
    void initTestCase() {
        setUpFixture("tst_compare_stored_runs");
        emptyRunsAndLibrary();
        // Two finished ALS runs of the Train stage (per-user holdout 20 %, seed 42).
        train_ = makePanel();
        for (int k : {4, 8}) {
            setShortAls(*train_, 3);
            QVERIFY(train_->form()->setValue(QStringLiteral("k"), QString::number(k)));
            QSignalSpy finished(train_.get(), &TrainPanel::runFinished);
            const QString id = train_->start();
            QVERIFY(!id.isEmpty());
            QVERIFY(finished.wait(60000));
            QVERIFY(!train_->history()->find(id)->perUserFile.isEmpty());
            runs_ << id;
        }
        compare_ =
            std::make_unique<ComparePanel>(controller_.get(), library_.get(), train_->history());
        compare_->resamplesBox()->setValue(100);
    }

    // The stored columns (rmse, mae: what a rating model's run keeps) are the file's float32
    // numbers exactly; the ranking columns the runs did not store are computed.
    void comparingFinishedRunsUsesTheirStoredFiles() {
        compareBoth();
        const auto comparison = compare_->comparison();
        QVERIFY(comparison);
        QCOMPARE(comparison->models.size(), std::size_t{2});
        const SplitSpec spec = train_->history()->find(runs_[0])->spec.split;
        const TrainData data = TrainData::build(*dataset_, makeSplit(*dataset_, spec));
        const QList<RunRecord> compared = compare_->runPicker()->checkedRecords();  // A, B
        QCOMPARE(compared.size(), 2);
        for (std::size_t i = 0; i < 2; ++i) {
            const ModelResult& m = comparison->models[i];
            const RunRecord& run = compared[static_cast<int>(i)];
            QVERIFY2(m.perUserStored(), m.perUserNote.c_str());
            QCOMPARE(m.storedColumns, std::vector<std::string>({kUserRmse, kUserMae}));
            QVERIFY2(m.perUserNote.find("not stored: hr_sampled") != std::string::npos,
                     m.perUserNote.c_str());
            const PerUserMetrics stored =
                loadPerUserMetrics(QFile::encodeName(perUserPath(run.id)).toStdString());
            QCOMPARE(m.perUser.users, stored.users);
            QVERIFY(m.perUser.column(kUserRmse)->values == stored.column(kUserRmse)->values);
            QVERIFY(m.perUser.column(kUserMae)->values == stored.column(kUserMae)->values);
            // A recomputation from the model gives the unrounded numbers: other values.
            const auto model = loadModel(
                QFile::encodeName(
                    QDir(runFolder())
                        .filePath(train_->history()->find(runs_[static_cast<int>(i)])->modelFile))
                    .toStdString());
            const PerUserMetrics own = computePerUserMetrics(data, *model, nullptr);
            QVERIFY(own.column(kUserRmse)->values != stored.column(kUserRmse)->values);
            QVERIFY(m.perUser.column(kUserHrFull));  // not stored: computed
        }
        const QString status = compare_->statusLabel()->text();
        QVERIFY2(status.contains(QStringLiteral("A als stored (rmse, mae; not stored, so "
                                                "computed: hr_sampled")),
                 qPrintable(status));
        QVERIFY2(status.contains(QStringLiteral("B als stored (rmse, mae;")), qPrintable(status));
    }

    // A run whose per-user file has gone is computed, and the status says why.
    void aMissingFileIsComputedWithTheReason() {
        const QString b = compare_->runPicker()->checkedRecords().at(1).id;
        const QString gone = perUserPath(b);
        QVERIFY(QFile::remove(gone));
        compareBoth();
        QCOMPARE(compare_->runPicker()->checkedRecords().at(1).id, b);
        const auto comparison = compare_->comparison();
        QVERIFY(comparison->models[0].perUserStored());
        QVERIFY(!comparison->models[1].perUserStored());
        const QString status = compare_->statusLabel()->text();
        QVERIFY2(status.contains(QStringLiteral("computed (per-user metrics file %1 is missing)")
                                     .arg(QFileInfo(gone).fileName())),
                 qPrintable(status));
        QVERIFY2(status.startsWith(QStringLiteral("Compared 2 model")), qPrintable(status));
    }

    void cleanupTestCase() {
        compare_->shutdown();
        compare_.reset();
        train_.reset();
    }
};

QTEST_MAIN(TstCompareStoredRuns)
#include "tst_compare_stored_runs.moc"
