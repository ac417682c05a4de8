// `lens-atlas import PATH --from implicit-npz|spark|csv FACTORS --save FILE [--feedback
// explicit|implicit] [--lambda L] [--alpha A]`: factors trained elsewhere (implicit's .npz,
// Spark MLlib ALS's userFactors/ + itemFactors/ folders, id,f1..fk CSV files; engine
// io/FactorImport.h) become a model file that `recommend`, `map --model`, `compare --runs` and
// `export` use like a model trained here. PATH is the release the factors were trained on
// (its ids). --lambda and --alpha are the fold-in's regularisation and confidence (use the
// values the model was trained with); --split (and --seed) name the split whose training part
// the factors were fitted on, so `compare --runs` can test them on its test part (without it
// the split is unknown and compare refuses the model). Prints what was read and where it went. Exit
// 0 ok, 2 usage, 3 bad data ("file:line: problem" or "file:array[row]: problem" on stderr; nothing
// is written then).
#include <QDate>
#include <QFile>
#include <QTextStream>

#include "CommandRegistry.h"
#include "CommandSupport.h"
#include "io/FactorImport.h"
#include "models/ModelFile.h"

namespace {

constexpr const char* kImportUsage =
    "import PATH --from implicit-npz|spark|csv FACTORS --save FILE [--feedback explicit|implicit] "
    "[--lambda L] [--alpha A] [--split per-user:0.2|random:0.2|loo|time:T|ml100k:u1 [--seed S]]";

int runImport(const QStringList& arguments) {
    using lens::app::OptionVerdict;
    // "--from FORMAT FACTORS" takes two values: taken out before the common parser runs.
    QStringList args = arguments;
    QString formatName, factors;
    if (const int at = static_cast<int>(args.indexOf(QStringLiteral("--from"))); at >= 0) {
        if (at + 2 >= args.size() || args[at + 1].startsWith(QLatin1String("--")) ||
            args[at + 2].startsWith(QLatin1String("--")))
            return lens::app::usageError(QStringLiteral("--from needs a format and a path"),
                                         kImportUsage);
        formatName = args[at + 1];
        factors = args[at + 2];
        args.remove(at, 3);
    }
    QString path, save, splitText;
    std::uint64_t seed = 42;
    lens::ImportOptions options;
    QStringList switches;
    const int parsed = lens::app::parseCommandArguments(
        args, kImportUsage, {}, &switches, &path,
        [&](const QString& name, const QString& value, QString&) {
            bool ok = false;
            if (name == QLatin1String("--save")) {
                save = value;
            } else if (name == QLatin1String("--feedback")) {
                if (value != QLatin1String("explicit") && value != QLatin1String("implicit"))
                    return OptionVerdict::BadValue;
                options.implicitFeedback = value == QLatin1String("implicit");
            } else if (name == QLatin1String("--split")) {
                splitText = value;
            } else if (name == QLatin1String("--seed")) {
                seed = value.toULongLong(&ok);
                if (!ok) return OptionVerdict::BadValue;
            } else if (name == QLatin1String("--lambda")) {
                options.lambda = value.toDouble(&ok);
                if (!ok || options.lambda < 0) return OptionVerdict::BadValue;
            } else if (name == QLatin1String("--alpha")) {
                options.alpha = value.toDouble(&ok);
                if (!ok || options.alpha < 0) return OptionVerdict::BadValue;
            } else {
                return OptionVerdict::Unknown;
            }
            return OptionVerdict::Taken;
        });
    if (parsed != lens::app::kOk) return parsed;
    if (formatName.isEmpty())
        return lens::app::usageError(QStringLiteral("missing --from FORMAT FACTORS"), kImportUsage);
    const auto source = lens::factorSourceFromName(formatName.toStdString());
    if (!source)
        return lens::app::usageError(QStringLiteral("unknown format '%1'").arg(formatName),
                                     kImportUsage);
    if (save.isEmpty())
        return lens::app::usageError(QStringLiteral("missing --save"), kImportUsage);
    if (!splitText.isEmpty()) {
        try {
            options.split = lens::SplitSpec::parse(splitText.toStdString(), seed);
        } catch (const std::invalid_argument& e) {
            return lens::app::usageError(QString::fromStdString(e.what()), kImportUsage);
        }
    }
    options.importedOn = QDate::currentDate().toString(Qt::ISODate).toStdString();

    return lens::app::runWithExitCodes(kImportUsage, [&] {
        const lens::Dataset dataset = lens::app::loadDatasetArgument(path);
        lens::ImportSummary summary;
        const auto model = lens::importFactors(
            dataset, *source, QFile::encodeName(factors).toStdString(), options, &summary);
        lens::saveModel(*model, QFile::encodeName(save).toStdString());
        QTextStream out(stdout);
        out << "imported " << summary.userRows << " user and " << summary.itemRows
            << " movie factor rows (k " << summary.factors << (summary.biases ? ", biases" : "")
            << ", " << (model->implicitFeedback() ? "implicit feedback" : "ratings") << ") from "
            << factors << " (" << formatName << ")\n";
        if (summary.usersWithout > 0 || summary.itemsWithout > 0)
            out << "  without factors (scored from zero vectors): " << summary.usersWithout
                << " of " << dataset.userCount() << " users, " << summary.itemsWithout << " of "
                << dataset.movieCount() << " movies\n";
        if (options.split)
            out << "  trained on the training part of "
                << QString::fromStdString(options.split->describe())
                << ": `compare --runs` tests it on that split's test part\n";
        else
            out << "  split unknown (no --split): ranking and maps only, `compare` refuses it\n";
        out << "saved " << save << '\n';
        return lens::app::kOk;
    });
}

}  // namespace

LENS_ATLAS_COMMAND("import",
                   "factors trained elsewhere (implicit .npz, Spark ALS, CSV) as a model file",
                   kImportUsage, false, runImport);
