#include "io/UserFiles.h"

#include <map>
#include <optional>
#include <unordered_map>

#include "data/Demographics.h"
#include "io/LoaderText.h"
#include "io/RatingsParser.h"
#include "io/TextEncoding.h"

namespace lens {

using loader::forEachLine;
using loader::legacyLineProblem;
using loader::parseId;

namespace {

// Distinct occupation names accepted in u.user (it has 21; the index must fit a byte).
constexpr std::size_t kMaxOccupations = 200;

// "M" or "F" (both user files); returns the problem text or "".
std::string parseGender(std::string_view field, std::uint8_t& out) {
    if (field == "F") {
        out = static_cast<std::uint8_t>(Gender::Female);
        return {};
    }
    if (field == "M") {
        out = static_cast<std::uint8_t>(Gender::Male);
        return {};
    }
    return "gender '" + excerptForMessage(field) + "' is not M or F";
}

// Checks a user id of a user file: a repeated id is a problem; true when the line is kept.
bool firstListing(const LineProblemFn& problem, const std::string& file, std::size_t line,
                  std::int64_t id, std::unordered_map<std::int64_t, std::size_t>& firstLine) {
    const auto [it, inserted] = firstLine.emplace(id, line);
    if (inserted) return true;
    problem(file, line,
            "user " + std::to_string(id) + " is listed twice (first on line " +
                std::to_string(it->second) + ")");
    return false;
}

}  // namespace

RawUsers parseUsers100k(const FileBytes& file, const LineProblemFn& problem) {
    RawUsers out;
    out.file = file.name;
    const std::string text = legacyTextToUtf8(file.content);
    std::map<std::string, std::uint8_t, std::less<>> occupationIndex;  // in order of first use
    std::unordered_map<std::int64_t, std::size_t> firstLine;
    forEachLine(text, [&](std::size_t lineNo, std::string_view line) {
        if (auto p = legacyLineProblem(line); !p.empty()) return problem(file.name, lineNo, p);
        const std::vector<std::string_view> f = splitFields(line, "|");
        if (f.size() != 5)
            return problem(file.name, lineNo,
                           "expected 5 fields (user id|age|gender|occupation|zip code), found " +
                               std::to_string(f.size()));
        RawUser u;
        std::int64_t age = 0;
        std::string p = parseId(f[0], "user id", u.id);
        if (p.empty()) p = parseId(f[1], "age", age);
        if (p.empty() && (age < 1 || age > 120))
            p = "age " + std::to_string(age) + " is outside 1-120";
        if (p.empty()) p = parseGender(f[2], u.gender);
        if (p.empty() && f[3].empty()) p = "empty occupation";
        if (p.empty() && !occupationIndex.contains(f[3]) &&
            occupationIndex.size() >= kMaxOccupations)
            p = "more than " + std::to_string(kMaxOccupations) + " different occupations";
        if (!p.empty()) return problem(file.name, lineNo, p);
        if (!firstListing(problem, file.name, lineNo, u.id, firstLine)) return;
        u.ageGroup = static_cast<std::uint8_t>(ageGroupOfYears(static_cast<int>(age)));
        const auto [it, inserted] = occupationIndex.emplace(
            std::string(f[3]), static_cast<std::uint8_t>(occupationIndex.size()));
        u.occupation = it->second;
        out.users.push_back(u);
    });
    // Names in alphabetical order (the map's), indices renumbered to match.
    std::vector<std::uint8_t> renumber(occupationIndex.size());
    for (const auto& [name, index] : occupationIndex) {
        renumber[index] = static_cast<std::uint8_t>(out.occupationNames.size());
        out.occupationNames.push_back(name);
    }
    for (RawUser& u : out.users) u.occupation = renumber[u.occupation];
    return out;
}

RawUsers parseUsersDat(const FileBytes& file, const LineProblemFn& problem) {
    RawUsers out;
    out.file = file.name;
    for (const std::string_view name : ml1mOccupationNames())
        out.occupationNames.emplace_back(name);
    const std::string text = legacyTextToUtf8(file.content);
    std::unordered_map<std::int64_t, std::size_t> firstLine;
    forEachLine(text, [&](std::size_t lineNo, std::string_view line) {
        if (auto p = legacyLineProblem(line); !p.empty()) return problem(file.name, lineNo, p);
        const std::vector<std::string_view> f = splitFields(line, "::");
        if (f.size() != 5)
            return problem(file.name, lineNo,
                           "expected 5 fields (UserID::Gender::Age::Occupation::Zip-code), found " +
                               std::to_string(f.size()));
        RawUser u;
        std::int64_t ageCode = 0, occupation = 0;
        std::string p = parseId(f[0], "user id", u.id);
        if (p.empty()) p = parseGender(f[1], u.gender);
        if (p.empty()) p = parseId(f[2], "age code", ageCode);
        std::optional<AgeGroup> group;
        if (p.empty()) {
            group = ageCode <= 100 ? ageGroupOfMl1mCode(static_cast<int>(ageCode)) : std::nullopt;
            if (group)
                u.ageGroup = static_cast<std::uint8_t>(*group);
            else
                p = "age code " + std::to_string(ageCode) +
                    " is not one of 1, 18, 25, 35, 45, 50, 56";
        }
        if (p.empty()) p = parseId(f[3], "occupation code", occupation);
        if (p.empty() && occupation >= kMl1mOccupationCount)
            p = "occupation code " + std::to_string(occupation) + " is not 0-20";
        if (!p.empty()) return problem(file.name, lineNo, p);
        if (!firstListing(problem, file.name, lineNo, u.id, firstLine)) return;
        u.occupation = static_cast<std::uint8_t>(occupation);
        out.users.push_back(u);
    });
    return out;
}

std::size_t attachDemographics(Dataset& ds, RawUsers&& raw) {
    UserDemographics& d = ds.demographics;
    d.gender.assign(ds.userCount(), kUnknownDemographic);
    d.ageGroup.assign(ds.userCount(), kUnknownDemographic);
    d.occupation.assign(ds.userCount(), kUnknownDemographic);
    d.occupationNames = std::move(raw.occupationNames);
    d.usersListed = 0;
    for (const RawUser& u : raw.users) {
        const std::int64_t index = ds.userIndex(u.id);
        if (index < 0) continue;  // listed but without a rating or tag: not in the dataset
        const auto i = static_cast<std::size_t>(index);
        d.gender[i] = u.gender;
        d.ageGroup[i] = u.ageGroup;
        d.occupation[i] = u.occupation;
        ++d.usersListed;
    }
    return ds.userCount() - d.usersListed;
}

}  // namespace lens
