#pragma once

#include <diag/core/severity.hpp>

#include <expected>
#include <string>
#include <string_view>
#include <vector>

namespace diag::logs {

/// One classification rule: a pattern that recognises a log message that means trouble, the
/// fields it extracts, how bad it is and what it means.
struct Rule {
    /// Stable dotted id, "disk.io_error"; findings and metrics key on it.
    std::string id;
    /// "disk", "network", "memory", "cpu", "process", "kernel", "gpu", "web".
    std::string category;
    Severity severity = Severity::warning;
    /// When set, only records of this program match (records whose program is unknown do too).
    std::string program;
    /// A regular expression in the common subset of PCRE (for Vectorscan) and ECMAScript (for
    /// std::regex), matched against the first line of a message.
    std::string pattern;
    /// Names of the capture groups in order: "device", "pid", "process", "address", ...
    std::vector<std::string> fields;
    /// One line for a person: what the message means.
    std::string meaning;
    /// Where the wording comes from (kernel source file and function, vendor document).
    std::string source;
    /// A message the rule must match, with every field found.
    std::string sample;
    /// A message that looks alike but must not match.
    std::string near_miss;
};

/// A rule file problem, with the 1-based line it is on.
struct RuleFileError {
    std::size_t line = 0;
    std::string message;
};

/// Parses rules in diag-logs' rule file form: a "[rule.id]" header, then "key = value" lines
/// (category, severity, program, pattern, fields (comma-separated), meaning, source, sample,
/// near_miss); "#" starts a comment line. Values run to the end of the line, spaces trimmed.
/// Every rule needs category, severity (info, warning or critical), pattern and meaning.
/// Returns the rules that are complete and an error for each problem met.
std::pair<std::vector<Rule>, std::vector<RuleFileError>> parse_rule_file(std::string_view text);

/// The rule catalogue diag-logs ships, in the rule file form.
std::string_view builtin_rule_text();

/// builtin_rule_text() parsed; asserts it has no problems.
std::vector<Rule> builtin_rules();

/// builtin_rules()' line screen, compiled and serialized by a build step (diag-screen-db-gen)
/// for Classifier::build: loading it takes a millisecond where compiling takes ~0.1 s. Empty
/// in a library built without that step.
std::string_view builtin_screen_database();

}  // namespace diag::logs
