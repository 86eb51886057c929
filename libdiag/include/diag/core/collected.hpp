#pragma once

#include <diag/core/error.hpp>
#include <diag/core/issue.hpp>

#include <utility>
#include <vector>

namespace diag {

/// What a probe or collector got, plus the Issues it met. One failing file, disk or interface
/// adds an Issue and never empties the data.
template <class T>
struct Collected {
    T data{};
    std::vector<Issue> issues;

    void add_issue(Issue issue) { issues.push_back(std::move(issue)); }
    void add_issue(const Error& error, IssueLevel level = IssueLevel::error) {
        issues.push_back(to_issue(error, level));
    }
};

}  // namespace diag
