#pragma once

#include <string>
#include <utility>
#include <vector>

namespace diag::disk {

/// What a decoder got from a page, plus what was wrong with the page. A decoder never throws:
/// a short page or a bad checksum gives the values it could still read and a problem such as
/// "SMART READ DATA: checksum byte 0x3a does not make the page sum to 0 mod 256".
template <class T>
struct Decoded {
    T value{};
    std::vector<std::string> problems;

    void add_problem(std::string problem) { problems.push_back(std::move(problem)); }
};

}  // namespace diag::disk
