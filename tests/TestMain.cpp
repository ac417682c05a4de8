// main() of a test group: runs the one test class named by the first argument, with the rest of
// the arguments passed to QtTest (see TestMain.h).
#include "TestMain.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

namespace lens::test {
namespace {

std::map<std::string, TestMainFunction>& registry() {
    static std::map<std::string, TestMainFunction> tests;
    return tests;
}

std::string baseName(const char* path) {
    std::string name(path);
    if (const auto slash = name.find_last_of('/'); slash != std::string::npos)
        name.erase(0, slash + 1);
    if (const auto dot = name.find('.'); dot != std::string::npos) name.erase(dot);
    return name;
}

}  // namespace

bool registerTestMain(const char* sourceFile, TestMainFunction function) {
    const bool inserted = registry().emplace(baseName(sourceFile), function).second;
    if (!inserted) {
        std::fprintf(stderr, "test group: %s is registered twice\n", baseName(sourceFile).c_str());
        std::abort();
    }
    return true;
}

}  // namespace lens::test

int main(int argc, char* argv[]) {
    const auto& tests = lens::test::registry();
    const auto found = argc >= 2 ? tests.find(argv[1]) : tests.end();
    if (found == tests.end()) {
        std::fprintf(stderr, "%s%s%s\nusage: %s TEST [QtTest options]; this executable holds:\n",
                     argc >= 2 ? "unknown test '" : "no test named", argc >= 2 ? argv[1] : "",
                     argc >= 2 ? "'" : "", argv[0]);
        for (const auto& [name, function] : tests) std::fprintf(stderr, "  %s\n", name.c_str());
        return 2;
    }
    // The test sees itself as a program named after the test (its application name, as before the
    // grouping), followed by its own options.
    std::vector<char*> arguments{argv[1]};
    for (int i = 2; i < argc; ++i) arguments.push_back(argv[i]);
    arguments.push_back(nullptr);
    return found->second(static_cast<int>(arguments.size()) - 1, arguments.data());
}
