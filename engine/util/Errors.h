#pragma once
// Errors the engine reports to its callers. Every data error names the file and, where there
// is one, the line: "ratings.csv:17: rating 7 is outside 0.5-5".
#include <cstddef>
#include <stdexcept>
#include <string>

namespace lens {

class DataError : public std::runtime_error {
public:
    DataError(std::string file, std::size_t line, const std::string& problem)
        : std::runtime_error(format(file, line, problem)),
          file_(std::move(file)),
          line_(line),
          problem_(problem) {}

    const std::string& file() const { return file_; }
    std::size_t line() const { return line_; }  // 1-based; 0 when the problem is the whole file
    const std::string& problem() const { return problem_; }

    static std::string format(const std::string& file, std::size_t line,
                              const std::string& problem) {
        return line ? file + ":" + std::to_string(line) + ": " + problem : file + ": " + problem;
    }

private:
    std::string file_;
    std::size_t line_;
    std::string problem_;
};

// Thrown when an observer or stop token asked a long job to stop.
class Cancelled : public std::runtime_error {
public:
    Cancelled() : std::runtime_error("cancelled") {}
};

}  // namespace lens
