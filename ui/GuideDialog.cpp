#include "GuideDialog.h"

#include <QDialogButtonBox>
#include <QFile>
#include <QTextBrowser>
#include <QTextCursor>
#include <QTextDocument>
#include <QVBoxLayout>
#include <iterator>

#include "LensAtlasApp.h"

namespace lens::ui {

GuideDialog::GuideDialog(QWidget* parent) : QDialog(parent), browser_(new QTextBrowser(this)) {
    initResources();
    setWindowTitle(tr("Lens Atlas guide"));
    setObjectName(QStringLiteral("guideDialog"));
    browser_->setOpenExternalLinks(true);
    QFile file(QStringLiteral(":/help/guide.html"));
    if (file.open(QIODevice::ReadOnly))
        browser_->setHtml(QString::fromUtf8(file.readAll()));
    else
        browser_->setPlainText(tr("The guide is missing from this build (:/help/guide.html)."));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(browser_);
    layout->addWidget(buttons);
    resize(760, 680);
}

void GuideDialog::showStage(int stage) {
    static const char* const kHeadings[] = {"1. Load", "2. Explore", "3. Train",
                                            "4. Rank", "5. Map",     "6. Compare"};
    if (stage < 0 || stage >= static_cast<int>(std::size(kHeadings))) return;
    const QTextCursor found = browser_->document()->find(QString::fromLatin1(kHeadings[stage]));
    if (found.isNull()) return;
    browser_->setTextCursor(found);
    browser_->ensureCursorVisible();
}

}  // namespace lens::ui
