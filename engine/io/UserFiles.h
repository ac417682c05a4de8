#pragma once
// The user files of ml-100k (u.user: id|age|gender|occupation|zip) and ml-1m (users.dat:
// UserID::Gender::Age::Occupation::Zip-code), read into demographics (data/Demographics.h).
// Bad lines go to the caller's problem function (strict loads throw there, lenient ones count
// and skip); a user listed twice is a problem naming the first line.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "data/Dataset.h"
#include "io/FileSource.h"

namespace lens {

// One line of a user file, already checked.
struct RawUser {
    std::int64_t id = 0;
    std::uint8_t gender = 0, ageGroup = 0, occupation = 0;  // occupation: index into the names
};

struct RawUsers {
    std::string file;  // display name, for messages
    std::vector<RawUser> users;
    std::vector<std::string> occupationNames;
};

using LineProblemFn =
    std::function<void(const std::string& file, std::size_t line, const std::string& text)>;

RawUsers parseUsers100k(const FileBytes& file, const LineProblemFn& problem);
RawUsers parseUsersDat(const FileBytes& file, const LineProblemFn& problem);

// Fills ds.demographics from the listed users (users not in the dataset are ignored); returns
// how many users of the dataset the file does not list.
std::size_t attachDemographics(Dataset& ds, RawUsers&& users);

}  // namespace lens
