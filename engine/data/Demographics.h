#pragma once
// User demographics where a release ships them: ml-100k's u.user ("id|age|gender|occupation|
// zip") and ml-1m's users.dat ("id::gender::age code::occupation code::zip"); the zip code is
// not kept. Other releases (ml-10m and the CSV releases) have none: UserDemographics is empty.
//
// Ages are grouped into ml-1m's seven age groups so that both releases segment the same way:
// ml-1m's age codes 1, 18, 25, 35, 45, 50, 56 name the groups "Under 18", "18-24", "25-34",
// "35-44", "45-49", "50-55", "56+"; an ml-100k age in years falls into the group whose range
// holds it. Occupations stay as each release names them: ml-1m's codes 0-20 with the names of
// its README, ml-100k's names as written in u.user (21 of them, in alphabetical order).
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lens {

// A user's field the user file does not give (the user is missing from the file).
inline constexpr std::uint8_t kUnknownDemographic = 255;

enum class Gender : std::uint8_t { Female = 0, Male = 1 };
inline constexpr int kGenderCount = 2;
const char* genderName(Gender gender);  // "female", "male"

enum class AgeGroup : std::uint8_t {
    Under18 = 0,
    From18To24 = 1,
    From25To34 = 2,
    From35To44 = 3,
    From45To49 = 4,
    From50To55 = 5,
    From56 = 6
};
inline constexpr int kAgeGroupCount = 7;
const char* ageGroupName(AgeGroup group);  // "Under 18", "18-24", ..., "56+"
// The group of an age in years (ml-100k): under 18, 18-24, 25-34, 35-44, 45-49, 50-55, 56+.
AgeGroup ageGroupOfYears(int years);
// The group of an ml-1m age code (1, 18, 25, 35, 45, 50, 56); nullopt for any other code.
std::optional<AgeGroup> ageGroupOfMl1mCode(int code);

// ml-1m's occupation names by code 0-20 (its README): 0 "other or not specified", 1
// "academic/educator", ..., 20 "writer".
inline constexpr int kMl1mOccupationCount = 21;
const std::array<std::string_view, kMl1mOccupationCount>& ml1mOccupationNames();

// Per dense user index of the Dataset (all empty when the release has no user file).
struct UserDemographics {
    std::vector<std::uint8_t> gender;      // a Gender value, or kUnknownDemographic
    std::vector<std::uint8_t> ageGroup;    // an AgeGroup value, or kUnknownDemographic
    std::vector<std::uint8_t> occupation;  // an index into occupationNames, or kUnknown...
    std::vector<std::string> occupationNames;
    std::size_t usersListed = 0;  // users of the dataset the file lists (the rest are unknown)

    bool empty() const { return gender.empty(); }
    std::size_t userCount() const { return gender.size(); }
    std::size_t memoryBytes() const;
};

}  // namespace lens
