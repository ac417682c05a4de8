// `lens-atlas report PATH --out DIR [--models als,neumf] [--personas lotr,toy-story] [--seed S]
//  [--dpi D] [--budget 10m]`: the whole study without a window (offscreen platform): load,
//  statistics, training
// with the defaults, personas' top-10 lists, genre and movie maps; writes every chart as PNG and
// SVG, a self-contained report.html, report.pdf and metrics.json into DIR, printing progress.
// PATH "demo" is the built-in synthetic dataset. Exit 0 ok, 1 failure or cancel, 2 usage,
// 3 bad data (file:line on stderr). --budget (90s, 10m, 1h) caps each model's training: its fit
// stops at the end of the iteration that uses the budget up, and the log says so.
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTextStream>
#include <cmath>

#include "CommandRegistry.h"
#include "CommandSupport.h"
#include "io/DatasetLoader.h"
#include "models/RecommenderFactory.h"
#include "report/ReportBuilder.h"
#include "report/ReportStudy.h"
#include "synth/SyntheticGenerator.h"
#include "tuning/DurationEstimate.h"
#include "tuning/TrainingBudget.h"
#include "util/Errors.h"

namespace {

constexpr const char* kReportUsage =
    "report PATH|demo --out DIR [--models als,neumf] [--personas lotr,toy-story] [--seed S] [--dpi "
    "D] [--budget 90s|10m|1h]";

int reportUsageError(const QString& message) {
    QTextStream err(stderr);
    lens::app::writeUsageError(err, message, kReportUsage);
    err << "models:";
    for (const auto& d : lens::recommenderRegistry()) err << ' ' << QString::fromStdString(d.name);
    err << "\npersona aliases: " << lens::ui::personaAliases().join(", ")
        << " (or any preset's name)\n";
    return lens::app::kUsage;
}

int runReport(const QStringList& args) {
    QString path, out;
    lens::ui::ReportOptions options;
    int dpi = 300;
    for (int i = 0; i < args.size(); ++i) {
        const QString& a = args[i];
        const auto value = [&](QString& out) { return lens::app::takeOptionValue(args, i, out); };
        QString v;
        if (a == "--out") {
            if (!value(out)) return reportUsageError("--out needs a folder");
        } else if (a == "--models") {
            if (!value(v)) return reportUsageError("--models needs a list");
            options.models = v.split(',', Qt::SkipEmptyParts);
        } else if (a == "--personas") {
            if (!value(v)) return reportUsageError("--personas needs a list");
            options.personas = v.split(',', Qt::SkipEmptyParts);
        } else if (a == "--seed") {
            bool ok = false;
            if (!value(v) || (options.seed = v.toULongLong(&ok), !ok))
                return reportUsageError("bad --seed");
        } else if (a == "--dpi") {
            bool ok = false;
            if (!value(v) || (dpi = v.toInt(&ok), !ok) || dpi < 24 || dpi > 1200)
                return reportUsageError("--dpi must be 24..1200");
        } else if (a == "--budget") {
            if (!value(v)) return reportUsageError("--budget needs a duration (90s, 10m, 1h)");
            try {
                options.budgetSeconds = lens::parseBudget(v.toStdString());
            } catch (const std::invalid_argument& e) {
                return reportUsageError(QStringLiteral("bad --budget: %1").arg(e.what()));
            }
        } else if (a.startsWith("--")) {
            return reportUsageError(QStringLiteral("unknown option '%1'").arg(a));
        } else if (path.isEmpty()) {
            path = a;
        } else {
            return reportUsageError(QStringLiteral("unexpected argument '%1'").arg(a));
        }
    }
    if (path.isEmpty()) return reportUsageError("missing PATH");
    if (out.isEmpty()) return reportUsageError("missing --out DIR");
    for (const QString& m : options.models)
        if (!lens::findRecommender(m.trimmed().toStdString()))
            return reportUsageError(QStringLiteral("unknown model '%1'").arg(m));
    for (const QString& p : options.personas)
        if (lens::ui::resolvePersonaName(p).isEmpty())
            return reportUsageError(QStringLiteral("unknown persona '%1'").arg(p));

    QTextStream log(stdout), err(stderr);
    QElapsedTimer clock;
    clock.start();
    const auto stamp = [&] {
        return QStringLiteral("[%1 s]").arg(clock.elapsed() / 1000.0, 6, 'f', 1);
    };
    try {
        std::shared_ptr<const lens::Dataset> dataset;
        QString source;
        if (lens::app::isDemoArgument(path)) {
            log << stamp() << " generating the built-in demo dataset\n";
            log.flush();
            dataset = std::make_shared<const lens::Dataset>(lens::app::loadDatasetArgument(path));
            source = QStringLiteral("the built-in synthetic demo");
        } else {
            log << stamp() << " loading " << QDir::toNativeSeparators(path) << '\n';
            log.flush();
            dataset = std::make_shared<const lens::Dataset>(lens::app::loadDatasetArgument(path));
            source = QDir::toNativeSeparators(QFileInfo(path).absoluteFilePath());
        }
        log << stamp() << ' ' << QString::fromStdString(dataset->name) << ": "
            << dataset->ratingCount() << " ratings, " << dataset->userCount() << " users, "
            << dataset->movieCount() << " movies\n";
        {
            // Up front, so a user can decide before the long part (tuning/DurationEstimate.h).
            std::vector<std::string> kinds;
            for (const QString& m : options.models) kinds.push_back(m.trimmed().toStdString());
            const lens::DurationEstimate estimate = lens::estimateStudyDuration(
                {dataset->ratingCount(), dataset->userCount(), dataset->movieCount()}, kinds,
                options.budgetSeconds);
            log << stamp() << " estimated duration: " << QString::fromStdString(estimate.describe())
                << "; an estimate from a cost model calibrated on an idle 2-core machine, slower "
                   "on a busy one\n";
        }
        log.flush();
        QString lastStage;
        int lastPercent = -1;
        const lens::ui::ReportStudy study =
            lens::ui::runReportStudy(dataset, options, [&](double fraction, const QString& stage) {
                const int percent = static_cast<int>(fraction * 100.0);
                // One line per stage change or 5 %, so logs stay readable.
                const QString head = stage.section(':', 0, 0);
                if (head != lastStage || percent >= lastPercent + 5) {
                    log << stamp() << QStringLiteral(" %1 % ").arg(percent, 3) << stage << '\n';
                    log.flush();
                    lastStage = head;
                    lastPercent = percent;
                }
                return true;
            });
        for (const auto& run : study.runs) {
            const auto& e = run.evaluation;
            log << stamp() << ' ' << run.displayName << ": ";
            if (!std::isnan(e.testRmse))
                log << "test RMSE " << QString::number(e.testRmse, 'f', 4) << ' ';
            if (!std::isnan(e.sampledHr10))
                log << "HR@10 " << QString::number(e.sampledHr10, 'f', 4) << " NDCG@10 "
                    << QString::number(e.sampledNdcg10, 'f', 4) << ' ';
            log << '(' << e.iterations << " iterations, " << QString::number(e.totalSeconds, 'f', 1)
                << " s)";
            if (run.stop.reason != lens::StopReason::Completed)
                log << "; " << QString::fromStdString(run.stop.describe());
            log << '\n';
        }
        log << stamp() << " rendering figures\n";
        log.flush();
        lens::ui::ReportBuilder builder;
        lens::ui::ReportDocument document = builder.build(study, source);
        document.dpi = dpi;
        QString error;
        const bool ok = document.write(out, &error, [&](int done, int total, const QString& what) {
            if (done == total || done % 8 == 0) {
                log << stamp() << QStringLiteral(" writing %1/%2 ").arg(done).arg(total)
                    << QDir::toNativeSeparators(what) << '\n';
                log.flush();
            }
            return true;
        });
        if (!ok) {
            err << "lens-atlas report: " << error << '\n';
            return lens::app::kFailure;
        }
        log << stamp() << " report written to "
            << QDir::toNativeSeparators(QDir(out).absolutePath())
            << " (report.html, report.pdf, metrics.json, " << document.figureCount() * 2
            << " figure files)\n";
        return lens::app::kOk;
    } catch (const lens::DataError& e) {
        err << "lens-atlas report: " << e.what() << '\n';
        return lens::app::kBadData;
    } catch (const std::invalid_argument& e) {
        return reportUsageError(QString::fromUtf8(e.what()));
    } catch (const std::exception& e) {
        err << "lens-atlas report: " << e.what() << '\n';
        return lens::app::kFailure;
    }
}

}  // namespace

LENS_ATLAS_COMMAND("report",
                   "the whole study (statistics, models, personas, maps) as HTML, PDF, PNG/SVG "
                   "and JSON",
                   kReportUsage, true, runReport);
