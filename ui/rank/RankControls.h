#pragma once
// The settings of the Rank stage's lists, above them in two rows:
// - filters: minimum number of ratings (100 as in the study), exclude the persona's rated
//   movies (on), N (10), and genre menus (keep only / leave out the checked genres);
// - scoring: the study's variant p·q + w·b_i (w = 0.05) or the predicted or raw model score,
//   and the second list to compare with ("none", the popularity baseline or another model),
//   followed by the panel's action buttons (addActionButton).
// Any edit by the user emits changed(); setConfig() emits it once.
#include <QList>
#include <QString>
#include <QWidget>
#include <string>
#include <utility>
#include <vector>

#include "data/Genre.h"
#include "ranking/TopNRanker.h"

class QAction;
class QBoxLayout;
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QMenu;
class QPushButton;
class QSpinBox;

namespace lens::ui {

class RankControls : public QWidget {
    Q_OBJECT
public:
    explicit RankControls(QWidget* parent = nullptr);

    lens::RankConfig config() const;
    void setConfig(const lens::RankConfig& config);
    // The genres the filter menus offer (Dataset::genreVocabulary; MovieLens's by default).
    // A different vocabulary clears the genre filters.
    void setGenreVocabulary(const std::vector<std::string>& vocabulary);

    // The chosen second list's id; empty for none.
    QString comparison() const;
    bool setComparison(const QString& id);  // false when the id is not offered
    // The second lists offered after "(no second list)": (label, id). The current choice is
    // kept when it is still offered (else none), without emitting changed().
    void setComparisonChoices(const QList<std::pair<QString, QString>>& choices);

    // A tool button for `action` at the end of the scoring row.
    void addActionButton(QAction* action);

    QSpinBox* minRatingsSpin() const { return minRatings_; }
    QCheckBox* excludeRatedToggle() const { return excludeRated_; }
    QSpinBox* countSpin() const { return count_; }
    QPushButton* includeGenresButton() const { return includeButton_; }
    QPushButton* excludeGenresButton() const { return excludeButton_; }
    QComboBox* scoringCombo() const { return scoring_; }
    QDoubleSpinBox* biasWeightSpin() const { return biasWeight_; }
    QComboBox* comparisonCombo() const { return compare_; }

signals:
    void changed();

private:
    QBoxLayout* buildFilterRow();
    QBoxLayout* buildScoringRow();
    QPushButton* genreMenuButton(lens::GenreMask* mask, QList<QAction*>* actions);
    void fillGenreMenu(QMenu* menu, lens::GenreMask* mask, QList<QAction*>* actions);
    void updateGenreButtons();

    std::vector<std::string> vocabulary_ = lens::defaultGenreVocabulary();
    lens::GenreMask includeGenres_ = 0;
    lens::GenreMask excludeGenres_ = 0;

    QSpinBox* minRatings_ = nullptr;
    QCheckBox* excludeRated_ = nullptr;
    QSpinBox* count_ = nullptr;
    QPushButton* includeButton_ = nullptr;
    QPushButton* excludeButton_ = nullptr;
    QList<QAction*> includeActions_;
    QList<QAction*> excludeActions_;
    QComboBox* scoring_ = nullptr;
    QDoubleSpinBox* biasWeight_ = nullptr;
    QComboBox* compare_ = nullptr;
    QBoxLayout* scoringRow_ = nullptr;
};

}  // namespace lens::ui
