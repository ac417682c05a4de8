#include "data/Demographics.h"

namespace lens {

const char* genderName(Gender gender) {
    return gender == Gender::Female ? "female" : "male";
}

const char* ageGroupName(AgeGroup group) {
    static constexpr const char* kNames[kAgeGroupCount] = {"Under 18", "18-24", "25-34", "35-44",
                                                           "45-49",    "50-55", "56+"};
    const auto i = static_cast<std::size_t>(group);
    return i < std::size(kNames) ? kNames[i] : "?";
}

AgeGroup ageGroupOfYears(int years) {
    if (years < 18) return AgeGroup::Under18;
    if (years < 25) return AgeGroup::From18To24;
    if (years < 35) return AgeGroup::From25To34;
    if (years < 45) return AgeGroup::From35To44;
    if (years < 50) return AgeGroup::From45To49;
    if (years < 56) return AgeGroup::From50To55;
    return AgeGroup::From56;
}

std::optional<AgeGroup> ageGroupOfMl1mCode(int code) {
    switch (code) {
        case 1:
            return AgeGroup::Under18;
        case 18:
            return AgeGroup::From18To24;
        case 25:
            return AgeGroup::From25To34;
        case 35:
            return AgeGroup::From35To44;
        case 45:
            return AgeGroup::From45To49;
        case 50:
            return AgeGroup::From50To55;
        case 56:
            return AgeGroup::From56;
        default:
            return std::nullopt;
    }
}

const std::array<std::string_view, kMl1mOccupationCount>& ml1mOccupationNames() {
    static constexpr std::array<std::string_view, kMl1mOccupationCount> kNames = {
        "other or not specified",
        "academic/educator",
        "artist",
        "clerical/admin",
        "college/grad student",
        "customer service",
        "doctor/health care",
        "executive/managerial",
        "farmer",
        "homemaker",
        "K-12 student",
        "lawyer",
        "programmer",
        "retired",
        "sales/marketing",
        "scientist",
        "self-employed",
        "technician/engineer",
        "tradesman/craftsman",
        "unemployed",
        "writer"};
    return kNames;
}

std::size_t UserDemographics::memoryBytes() const {
    std::size_t bytes = gender.capacity() + ageGroup.capacity() + occupation.capacity();
    for (const auto& name : occupationNames)
        bytes += sizeof(std::string) + (name.capacity() > 15 ? name.capacity() : 0);
    return bytes;
}

}  // namespace lens
