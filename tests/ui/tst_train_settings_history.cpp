// The Train panel's settings and run history without training: the hyper-parameter form follows
// the engine's ranges, bad values disable Start, presets apply, the settings column is as wide
// as every model's form, the history puts its result columns first and shows them without
// scrolling at 1280 px, and run labels and figure footers name the seed once.
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QScrollArea>
#include <QScrollBar>
#include <QTableView>

#include "charts/FigureCard.h"
#include "tst_train_fixture.h"

using namespace lens;
using namespace lens::ui;
using namespace lens::test;

class TstTrainSettingsHistory : public QObject, private TrainFixture {
    Q_OBJECT

private slots:
    void initTestCase() { setUpFixture("tst_train_settings_history"); }
    void init() { emptyRunsAndLibrary(); }

    void formFollowsEngine_data() { addModelKindRows(); }
    void formFollowsEngine() {
        QFETCH(QString, kind);
        HyperparameterForm form;
        form.setModelKind(kind);
        const auto model = createRecommender(kind.toStdString());
        QStringList expected;
        for (const auto& h : model->hyperparameters())
            if (h.key != "seed") expected << QString::fromStdString(h.key);
        QCOMPARE(form.keys(), expected);
        for (const QString& key : expected) {
            QWidget* editor = form.editor(key);
            QVERIFY(editor);
            QVERIFY2(editor->toolTip().contains(key), qPrintable(key));
            QCOMPARE(form.value(key),
                     QString::fromStdString(model->hyperparameter(key.toStdString())));
        }
        QVERIFY(form.isValid());
    }

    void formRejectsBadValues() {
        auto panel = makePanel();
        panel->setModelKind(QStringLiteral("als"));
        QVERIFY(panel->startAction()->isEnabled());
        QVERIFY(!panel->form()->setValue(QStringLiteral("lambda"), QStringLiteral("-1")));
        QVERIFY(!panel->form()->isValid());
        QVERIFY(panel->form()->errors().contains(QStringLiteral("lambda")));
        QVERIFY(!panel->startAction()->isEnabled());
        QVERIFY(panel->start().isEmpty());
        QVERIFY(panel->form()->setValue(QStringLiteral("lambda"), QStringLiteral("0.2")));
        QVERIFY(panel->startAction()->isEnabled());
        QCOMPARE(panel->currentSpec().value(QStringLiteral("lambda")), QStringLiteral("0.2"));
    }

    void presetsApply_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");
        QTest::addColumn<int>("iterations");
        QTest::newRow("practical 2") << "Practical 2: biases"
                                     << "bias"
                                     << "user_lambda"
                                     << "10" << 15;
        QTest::newRow("practical 3") << "Practical 3: MF"
                                     << "als"
                                     << "k"
                                     << "10" << 20;
        QTest::newRow("practical 4") << "Practical 4: MF"
                                     << "als"
                                     << "lambda"
                                     << "1" << 15;
        QTest::newRow("practical 5") << "Practical 5: genre prior"
                                     << "als-genre"
                                     << "lambda"
                                     << "0.1" << 20;
    }
    void presetsApply() {
        QFETCH(QString, name);
        QFETCH(QString, kind);
        QFETCH(QString, key);
        QFETCH(QString, value);
        QFETCH(int, iterations);
        auto panel = makePanel();
        panel->applyPreset(name);
        QCOMPARE(panel->modelKind(), kind);
        const RunSpec spec = panel->currentSpec();
        QCOMPARE(spec.value(key), value);
        QCOMPARE(spec.value(QStringLiteral("iterations")).toInt(), iterations);
        QCOMPARE(spec.seed, quint64(42));
        QCOMPARE(spec.split.kind, SplitKind::PerUserHoldout);
        // Tuned defaults go back to the model's own defaults.
        panel->applyPreset(QStringLiteral("Tuned defaults"));
        QCOMPARE(panel->currentSpec().value(QStringLiteral("iterations")),
                 QString::fromStdString(
                     createRecommender(kind.toStdString())->hyperparameter("iterations")));
    }

    // The columns a user compares come first; the Seed column is gone because the Split column
    // always names the seed.
    void historyColumnsPutResultsFirst() {
        RunHistoryModel model;
        QStringList headers;
        for (int c = 0; c < model.columnCount(); ++c)
            headers << model.headerData(c, Qt::Horizontal).toString();
        const QStringList leading{QStringLiteral("Started"),          QStringLiteral("Model"),
                                  QStringLiteral("Test RMSE"),        QStringLiteral("HR@10"),
                                  QStringLiteral("NDCG@10"),          QStringLiteral("Status"),
                                  QStringLiteral("Hyper-parameters"), QStringLiteral("Split")};
        QCOMPARE(headers.mid(0, leading.size()), leading);
        QVERIFY2(!headers.contains(QStringLiteral("Seed")), qPrintable(headers.join(", ")));
        for (const char* rest : {"Train RMSE", "Iterations", "Duration"})
            QVERIFY2(headers.contains(QLatin1String(rest)), rest);
        for (int c = 0; c < model.columnCount(); ++c)
            QVERIFY2(!model.headerData(c, Qt::Horizontal, Qt::ToolTipRole).toString().isEmpty(),
                     qPrintable(headers[c]));

        // Every enum value reads the value its header names.
        model.addRun(finishedRun(QStringLiteral("a"), QStringLiteral("als"), 0.8765, kNoMetric, 5));
        model.addRun(
            finishedRun(QStringLiteral("b"), QStringLiteral("neumf"), kNoMetric, 0.625, 4));
        auto text = [&](int row, int column) {
            return model.data(model.index(row, column)).toString();
        };
        auto headerOf = [&](int column) { return headers.at(column); };
        QCOMPARE(headerOf(RunHistoryModel::TestRmseColumn), QStringLiteral("Test RMSE"));
        QCOMPARE(text(0, RunHistoryModel::TestRmseColumn), QStringLiteral("0.8765"));
        QCOMPARE(headerOf(RunHistoryModel::TrainRmseColumn), QStringLiteral("Train RMSE"));
        QCOMPARE(text(0, RunHistoryModel::TrainRmseColumn), QStringLiteral("0.7765"));
        QCOMPARE(headerOf(RunHistoryModel::Hr10Column), QStringLiteral("HR@10"));
        QCOMPARE(text(1, RunHistoryModel::Hr10Column), QStringLiteral("0.6250"));
        QCOMPARE(headerOf(RunHistoryModel::Ndcg10Column), QStringLiteral("NDCG@10"));
        QCOMPARE(text(1, RunHistoryModel::Ndcg10Column), QStringLiteral("0.3125"));
        QCOMPARE(headerOf(RunHistoryModel::StatusColumn), QStringLiteral("Status"));
        QCOMPARE(text(0, RunHistoryModel::StatusColumn), QStringLiteral("completed"));
        QCOMPARE(headerOf(RunHistoryModel::ModelColumn), QStringLiteral("Model"));
        QCOMPARE(text(1, RunHistoryModel::ModelColumn), model.record(1).modelDisplayName);
        QCOMPARE(headerOf(RunHistoryModel::HyperparametersColumn),
                 QStringLiteral("Hyper-parameters"));
        QCOMPARE(text(1, RunHistoryModel::HyperparametersColumn),
                 model.record(1).spec.hyperparameterText());
        QCOMPARE(headerOf(RunHistoryModel::SplitColumn), QStringLiteral("Split"));
        QCOMPARE(text(0, RunHistoryModel::SplitColumn),
                 QStringLiteral("per-user holdout 20% (seed 42)"));
        QCOMPARE(headerOf(RunHistoryModel::IterationsColumn), QStringLiteral("Iterations"));
        QCOMPARE(text(0, RunHistoryModel::IterationsColumn), QStringLiteral("1/1"));
        QCOMPARE(headerOf(RunHistoryModel::DurationColumn), QStringLiteral("Duration"));
        QCOMPARE(text(0, RunHistoryModel::DurationColumn), formatDuration(1.5));
        // Numbers right-aligned, text left.
        auto alignment = [&](int column) {
            return model.data(model.index(0, column), Qt::TextAlignmentRole).value<Qt::Alignment>();
        };
        for (int c : {RunHistoryModel::TestRmseColumn, RunHistoryModel::Hr10Column,
                      RunHistoryModel::Ndcg10Column, RunHistoryModel::TrainRmseColumn,
                      RunHistoryModel::IterationsColumn, RunHistoryModel::DurationColumn})
            QVERIFY2(alignment(c) & Qt::AlignRight, qPrintable(headers[c]));
        for (int c : {RunHistoryModel::ModelColumn, RunHistoryModel::HyperparametersColumn,
                      RunHistoryModel::SplitColumn, RunHistoryModel::StatusColumn})
            QVERIFY2(!(alignment(c) & Qt::AlignRight), qPrintable(headers[c]));

        // The Hyper-parameters cell's tooltip holds every setting in full.
        const QString tip =
            model.data(model.index(1, RunHistoryModel::HyperparametersColumn), Qt::ToolTipRole)
                .toString();
        QVERIFY(model.record(1).spec.hyperparameters.size() >= 5);
        for (const auto& [key, value] : model.record(1).spec.hyperparameters)
            QVERIFY2(tip.contains(QStringLiteral("%1 %2").arg(key, value)),
                     qPrintable(key + QStringLiteral(": ") + tip));
    }

    // In a 1280 px window the panel shows the result columns without scrolling, and sorting by a
    // result column orders the runs by that number.
    void historyResultsVisibleAt1280() {
        auto panel = makePanel();
        panel->resize(kLaptopStage);
        for (const char* kind : {"neumf", "als", "bias"})
            panel->history()->addRun(
                finishedRun(QStringLiteral("run-%1").arg(kind), QLatin1String(kind),
                            kind == std::string("neumf") ? kNoMetric
                            : kind == std::string("als") ? 0.85
                                                         : 0.95,
                            kind == std::string("neumf") ? 0.6 : kNoMetric, kind[0]));
        panel->show();
        QVERIFY(QTest::qWaitForWindowExposed(panel.get()));
        QTableView* view = panel->historyView();
        QHeaderView* header = view->horizontalHeader();
        const int viewportWidth = view->viewport()->width();
        for (int c : {RunHistoryModel::StartedColumn, RunHistoryModel::ModelColumn,
                      RunHistoryModel::TestRmseColumn, RunHistoryModel::Hr10Column,
                      RunHistoryModel::Ndcg10Column, RunHistoryModel::StatusColumn}) {
            const int right = header->sectionViewportPosition(c) + header->sectionSize(c);
            QVERIFY2(right <= viewportWidth,
                     qPrintable(QStringLiteral("column %1 ends at %2 of %3 px")
                                    .arg(panel->history()->headerData(c, Qt::Horizontal).toString())
                                    .arg(right)
                                    .arg(viewportWidth)));
            // Wide enough for its values (not elided).
            for (int row = 0; row < view->model()->rowCount(); ++row) {
                const QString value = view->model()->index(row, c).data().toString();
                QVERIFY2(view->fontMetrics().horizontalAdvance(value) < header->sectionSize(c),
                         qPrintable(value));
            }
        }
        // Sorting by test RMSE: numbers, runs without the metric ("-") first.
        view->sortByColumn(RunHistoryModel::TestRmseColumn, Qt::AscendingOrder);
        QStringList order;
        for (int row = 0; row < view->model()->rowCount(); ++row)
            order << view->model()->index(row, 0).data(RunHistoryModel::RunIdRole).toString();
        QCOMPARE(order, (QStringList{"run-neumf", "run-als", "run-bias"}));
        view->sortByColumn(RunHistoryModel::Hr10Column, Qt::DescendingOrder);
        QCOMPARE(view->model()->index(0, 0).data(RunHistoryModel::RunIdRole).toString(),
                 QStringLiteral("run-neumf"));
    }

    // The settings column is as wide as the filled form of every model: no group box, label or
    // field cut at the right edge (the horizontal scroll bar is off).
    void settingsColumnFitsForm_data() { addModelKindRows(); }
    void settingsColumnFitsForm() {
        QFETCH(QString, kind);
        auto panel = makePanel();
        panel->resize(kLaptopStage);
        panel->show();
        QVERIFY(QTest::qWaitForWindowExposed(panel.get()));
        panel->setModelKind(kind);
        QScrollArea* area = panel->settingsArea();
        QWidget* settings = area->widget();
        QVERIFY(area->horizontalScrollBarPolicy() == Qt::ScrollBarAlwaysOff);
        // The splitter and the scroll area apply the new minimum in the next layout pass.
        QTRY_VERIFY2(settings->width() <= area->viewport()->width() &&
                         settings->width() >= settings->sizeHint().width(),
                     qPrintable(QStringLiteral("settings %1 px (wants %2) in a %3 px viewport")
                                    .arg(settings->width())
                                    .arg(settings->sizeHint().width())
                                    .arg(area->viewport()->width())));
        const int right = area->viewport()->width();
        auto rightEdge = [&](QWidget* w) {
            return w->mapTo(area->viewport(), QPoint(w->width(), 0)).x();
        };
        const auto boxes = settings->findChildren<QGroupBox*>();
        QCOMPARE(boxes.size(), 2);
        for (QGroupBox* box : boxes) {
            QVERIFY2(rightEdge(box) <= right, qPrintable(QStringLiteral("%1 ends at %2 of %3 px")
                                                             .arg(box->title())
                                                             .arg(rightEdge(box))
                                                             .arg(right)));
        }
        int checked = 0;
        for (QWidget* w : settings->findChildren<QWidget*>()) {
            if (!w->isVisibleTo(settings) || w->parentWidget()->inherits("QAbstractSpinBox") ||
                w->parentWidget()->inherits("QComboBox") || qobject_cast<QScrollBar*>(w))
                continue;
            const auto* label = qobject_cast<QLabel*>(w);
            if (label && label->wordWrap()) {
                // Wrapped text keeps inside the column.
                QVERIFY2(rightEdge(w) <= right, qPrintable(label->text()));
                continue;
            }
            // Form labels ("Test share") at their full text, fields at least at their minimum.
            const int wanted = label ? w->sizeHint().width() : w->minimumSizeHint().width();
            QVERIFY2(w->width() >= wanted && rightEdge(w) <= right,
                     qPrintable(QStringLiteral("%1 \"%2\": %3 px of %4, right edge %5 of %6")
                                    .arg(QLatin1String(w->metaObject()->className()),
                                         label ? label->text() : w->toolTip().left(40))
                                    .arg(w->width())
                                    .arg(wanted)
                                    .arg(rightEdge(w))
                                    .arg(right)));
            ++checked;
        }
        QVERIFY(checked >= 10);
    }

    // The seed is named once: in the split's text ("(seed 42)"), or as "model seed N" where
    // the split's text does not name it (or names a different one).
    // A sweep's runs say which sweep and trial they are (Sweep column, label, tooltip), sort by
    // sweep then trial with the final run last, and keep their membership through the JSON.
    void sweepRunsShowTheirSweep() {
        RunHistoryModel model;
        QCOMPARE(model.headerData(RunHistoryModel::SweepColumn, Qt::Horizontal).toString(),
                 QStringLiteral("Sweep"));
        auto member = [](RunRecord r, int number, int trial, bool final) {
            r.spec.sweep = SweepMembership{
                std::string("s").append(std::to_string(number)), number, trial, 12, final, "rmse"};
            r.curvesOn = EvaluatedPart::Validation;
            if (!final) {
                HeldOutFigures v;
                v.rmse = 0.8712;
                r.finalValidation = v;
            }
            return r;
        };
        // A trial: validation figures, no test figure (its curve is on validation).
        model.addRun(
            member(finishedRun(QStringLiteral("t2"), QStringLiteral("als"), 0.9, kNoMetric, 5), 3,
                   2, false));
        RunRecord final = member(
            finishedRun(QStringLiteral("f"), QStringLiteral("als"), 0.9, kNoMetric, 4), 3, 5, true);
        HeldOutFigures test;
        test.rmse = 0.8601;
        final.finalTest = test;
        model.addRun(final);
        model.addRun(
            member(finishedRun(QStringLiteral("u1"), QStringLiteral("als"), 0.9, kNoMetric, 3), 4,
                   1, false));
        model.addRun(
            finishedRun(QStringLiteral("plain"), QStringLiteral("als"), 0.9, kNoMetric, 2));
        auto cell = [&](int row, int role = Qt::DisplayRole) {
            return model.index(row, RunHistoryModel::SweepColumn).data(role);
        };
        QCOMPARE(cell(0).toString(), QStringLiteral("sweep 3, trial 2/12"));
        QCOMPARE(cell(1).toString(), QStringLiteral("sweep 3, best (trial 5/12) retrained"));
        QCOMPARE(cell(2).toString(), QStringLiteral("sweep 4, trial 1/12"));
        QCOMPARE(cell(3).toString(), QString());
        QVERIFY(cell(0, Qt::ToolTipRole).toString().contains(QStringLiteral("validation")));
        QVERIFY(cell(1, Qt::ToolTipRole).toString().contains(QStringLiteral("tested once")));
        const auto key = [&](int row) { return cell(row, RunHistoryModel::SortRole).toLongLong(); };
        QVERIFY(key(3) < key(0));
        QVERIFY(key(0) < key(1));
        QVERIFY(key(1) < key(2));
        // The trial is never tested: the Test RMSE cell is empty, the label names its validation.
        QCOMPARE(model.index(0, RunHistoryModel::TestRmseColumn).data().toString(),
                 QStringLiteral("-"));
        QCOMPARE(model.index(0, RunHistoryModel::ValidationRmseColumn).data().toString(),
                 QStringLiteral("0.8712"));
        QVERIFY2(model.record(0).label().contains(
                     QStringLiteral("sweep 3, trial 2/12 · validation RMSE 0.871")),
                 qPrintable(model.record(0).label()));
        QVERIFY2(model.record(1).label().contains(QStringLiteral("test RMSE 0.860")),
                 qPrintable(model.record(1).label()));
        for (int row = 0; row < 4; ++row) {
            QString error;
            const auto back = RunRecord::fromJson(model.record(row).toJson(), &error);
            QVERIFY2(back, qPrintable(error));
            QVERIFY(back->spec.sweep == model.record(row).spec.sweep);
        }
    }

    void labelsNameTheSeedOnce_data() {
        QTest::addColumn<QString>("split");
        QTest::addColumn<quint64>("splitSeed");
        QTest::addColumn<quint64>("modelSeed");
        QTest::addColumn<QString>("expected");
        QTest::newRow("per-user") << "per-user:0.2" << quint64(42) << quint64(42)
                                  << "per-user holdout 20% (seed 42)";
        QTest::newRow("random") << "random:0.1" << quint64(9) << quint64(9)
                                << "global random 10% (seed 9)";
        QTest::newRow("leave-one-out") << "loo" << quint64(42) << quint64(42)
                                       << "leave-one-out latest per user · model seed 42";
        QTest::newRow("temporal") << "time:1200000000" << quint64(7) << quint64(7)
                                  << "model seed 7";
        QTest::newRow("split seed differs") << "per-user:0.2" << quint64(7) << quint64(42)
                                            << "per-user holdout 20% (seed 7) · model seed 42";
    }
    void labelsNameTheSeedOnce() {
        QFETCH(QString, split);
        QFETCH(quint64, splitSeed);
        QFETCH(quint64, modelSeed);
        QFETCH(QString, expected);
        RunRecord r =
            finishedRun(QStringLiteral("seeded"), QStringLiteral("als"), 0.9, kNoMetric, 1);
        r.spec.split = SplitSpec::parse(split.toStdString(), splitSeed);
        r.spec.seed = modelSeed;
        const QString seedWord = QStringLiteral("seed %1").arg(modelSeed);
        for (const QString& text : {r.label(), r.spec.splitAndSeedText()}) {
            QVERIFY2(text.contains(expected), qPrintable(text));
            QVERIFY2(occurrences(text, seedWord) == 1, qPrintable(text));
        }
        QCOMPARE(r.label(), QStringLiteral("ALS k %1 · %2 · test RMSE 0.900")
                                .arg(r.spec.value(QStringLiteral("k")), r.spec.splitAndSeedText()));

        // The history's Split column and the chart footer say the same, the seed once.
        auto panel = makePanel();
        panel->history()->addRun(r);
        QCOMPARE(panel->history()
                     ->data(panel->history()->index(0, RunHistoryModel::SplitColumn))
                     .toString(),
                 r.spec.splitAndSeedText());
        panel->showRuns({r.id});
        const QString footer = panel->accuracyCard()->exportOptions().footer;
        QVERIFY2(footer.contains(expected) && occurrences(footer, seedWord) == 1,
                 qPrintable(footer));
    }
};

QTEST_MAIN(TstTrainSettingsHistory)
#include "tst_train_settings_history.moc"
