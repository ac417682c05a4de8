#include "AboutDialog.h"

#include <Eigen/Core>
#include <QApplication>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QVBoxLayout>

#include "LensAtlasApp.h"

namespace lens::ui {

QString AboutDialog::aboutText() {
    const QString eigen = QStringLiteral("%1.%2.%3")
                              .arg(EIGEN_WORLD_VERSION)
                              .arg(EIGEN_MAJOR_VERSION)
                              .arg(EIGEN_MINOR_VERSION);
    return tr("<h2>Lens Atlas %1</h2>"
              "<p>Visual analytics for the MovieLens recommender datasets: load a release, explore "
              "its "
              "power laws, train latent-factor models, rank movies and map genres.</p>"
              "<p><b>Versions</b><br>Lens Atlas %1<br>Qt %2 (built with %3)<br>Eigen %4<br>"
              "Compiler: %5</p>"
              "<p><b>MovieLens datasets</b><br>The MovieLens data are provided by GroupLens "
              "Research, "
              "University of Minnesota, under their own licence: they may be used for research and "
              "teaching but not redistributed or used commercially without permission. "
              "Publications "
              "using them must cite:</p>"
              "<p style='margin-left:12px'>F. Maxwell Harper and Joseph A. Konstan. 2015. "
              "<i>The MovieLens Datasets: History and Context.</i> ACM Transactions on Interactive "
              "Intelligent Systems (TiiS) 5, 4, Article 19 (December 2015), 19 pages. "
              "<a href='https://doi.org/10.1145/2827872'>doi:10.1145/2827872</a></p>"
              "<p>Lens Atlas ships no MovieLens data; its demo dataset is synthetic.</p>")
        .arg(QCoreApplication::applicationVersion().isEmpty()
                 ? QStringLiteral(LENS_ATLAS_VERSION)
                 : QCoreApplication::applicationVersion(),
             QString::fromLatin1(qVersion()), QStringLiteral(QT_VERSION_STR), eigen,
#if defined(__clang__)
             QStringLiteral("clang %1").arg(QStringLiteral(__clang_version__))
#elif defined(__GNUC__)
             QStringLiteral("GCC %1.%2.%3")
                 .arg(__GNUC__)
                 .arg(__GNUC_MINOR__)
                 .arg(__GNUC_PATCHLEVEL__)
#else
             QStringLiteral("unknown")
#endif
        );
}

AboutDialog::AboutDialog(QWidget* parent) : QDialog(parent) {
    initResources();
    setWindowTitle(tr("About Lens Atlas"));
    auto* icon = new QLabel(this);
    icon->setPixmap(QIcon(QStringLiteral(":/icons/lens-atlas.svg")).pixmap(96, 96));
    icon->setAlignment(Qt::AlignTop);
    auto* text = new QLabel(aboutText(), this);
    text->setObjectName(QStringLiteral("aboutText"));
    text->setWordWrap(true);
    text->setTextFormat(Qt::RichText);
    text->setOpenExternalLinks(true);
    text->setTextInteractionFlags(Qt::TextBrowserInteraction);
    text->setMinimumWidth(460);

    auto* row = new QHBoxLayout;
    row->setSpacing(18);
    row->addWidget(icon);
    row->addWidget(text, 1);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(20, 20, 20, 14);
    layout->addLayout(row);
    layout->addWidget(buttons);
}

}  // namespace lens::ui
