// `lens-atlas export PATH --model FILE --format npz|projector|csv --out OUT`: a trained model's
// factors for other tools (engine/io/FactorExport.h says what each format holds): numpy's .npz in
// implicit's layout, TensorBoard Projector's vectors.tsv + metadata.tsv, or id,f1..fk CSV files.
// PATH is the release the model was trained on (its ids, titles and genres). Prints the files
// written. Exit 0 ok, 2 usage (also a model without factors), 3 bad data (dataset or model file,
// or a model trained on another release) with "file[:line]: problem" on stderr.
#include <QFile>
#include <QTextStream>

#include "CommandRegistry.h"
#include "CommandSupport.h"
#include "io/FactorExport.h"
#include "models/ModelFile.h"

namespace {

constexpr const char* kExportUsage =
    "export PATH --model FILE --format npz|projector|csv --out OUT";

int runExport(const QStringList& args) {
    using lens::app::OptionVerdict;
    QString path, modelFile, formatName, out;
    QStringList switches;
    const int parsed = lens::app::parseCommandArguments(
        args, kExportUsage, {}, &switches, &path,
        [&](const QString& name, const QString& value, QString&) {
            if (name == QLatin1String("--model"))
                modelFile = value;
            else if (name == QLatin1String("--out"))
                out = value;
            else if (name == QLatin1String("--format")) {
                if (!lens::factorFormatFromName(value.toStdString()))
                    return OptionVerdict::BadValue;
                formatName = value;
            } else
                return OptionVerdict::Unknown;
            return OptionVerdict::Taken;
        });
    if (parsed != lens::app::kOk) return parsed;
    if (modelFile.isEmpty())
        return lens::app::usageError(QStringLiteral("missing --model"), kExportUsage);
    if (formatName.isEmpty())
        return lens::app::usageError(QStringLiteral("missing --format"), kExportUsage);
    if (out.isEmpty()) return lens::app::usageError(QStringLiteral("missing --out"), kExportUsage);

    return lens::app::runWithExitCodes(kExportUsage, [&] {
        const lens::Dataset dataset = lens::app::loadDatasetArgument(path);
        const std::string modelPath = QFile::encodeName(modelFile).toStdString();
        const auto model = lens::loadModel(modelPath);
        lens::checkModelMatchesDataset(*model, dataset, modelPath);
        const auto files = lens::exportFactors(
            *model, dataset, *lens::factorFormatFromName(formatName.toStdString()),
            QFile::encodeName(out).toStdString());
        QTextStream stdoutStream(stdout);
        stdoutStream << "exported " << model->userFactors().rows() << " users and "
                     << model->itemFactors().rows() << " movies x " << model->itemFactors().cols()
                     << " factors of " << modelFile << " ("
                     << QString::fromStdString(model->displayName()) << ") as " << formatName
                     << ":\n";
        for (const auto& file : files)
            stdoutStream << "  " << QString::fromStdString(file.string()) << '\n';
        return lens::app::kOk;
    });
}

}  // namespace

LENS_ATLAS_COMMAND("export",
                   "a trained model's factors as numpy .npz, TensorBoard Projector TSV or CSV",
                   kExportUsage, false, runExport);
