// Fuzzes parse_rule_file, the form of diag-logs' --rules files and of the built-in catalogue,
// and for small inputs the classifier built from what it accepts.
// Invariants: every rule returned has an id, a category, a severity, a pattern and a meaning;
// every problem names a line of the file; parsing is deterministic; there are never more rules
// and problems about rules than "[...]" headers; the classifier either compiles the rules or
// says why, and classifies any line without crashing.

#include "fuzz_check.hpp"

#include <diag/logs/classifier.hpp>
#include <diag/logs/rule.hpp>

#include <algorithm>

namespace {

using diag::fuzz::require;

// Compiling a database takes milliseconds; only small rule sets are compiled, so the fuzzer
// still gets through many inputs.
constexpr std::size_t kCompileBytes = 512;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto text = diag::fuzz::as_text(data, size);
    auto [rules, errors] = diag::logs::parse_rule_file(text);
    const auto line_count =
        static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
    for (const auto& rule : rules) {
        require(!rule.category.empty() && !rule.pattern.empty() && !rule.meaning.empty(),
                "a rule returned has category, pattern and meaning");
        require(rule.pattern.find('\n') == std::string::npos, "a value stays on its line");
    }
    for (const auto& error : errors) {
        require(error.line >= 1 && error.line <= line_count, "a problem names a line of the file");
        require(!error.message.empty(), "a problem says what is wrong");
    }
    const auto headers = static_cast<std::size_t>(std::count(text.begin(), text.end(), '['));
    require(rules.size() <= headers, "no rule without a \"[rule.id]\" header");
    auto [again, again_errors] = diag::logs::parse_rule_file(text);
    require(again.size() == rules.size() && again_errors.size() == errors.size(),
            "parsing is deterministic");
    if (size > kCompileBytes || rules.empty()) {
        return 0;
    }
    std::vector<std::string> samples;
    for (const auto& rule : rules) {
        samples.push_back(rule.sample);
    }
    auto classifier = diag::logs::Classifier::build(std::move(rules));
    if (!classifier) {
        require(!classifier.error().empty(), "a rule set that does not compile says why");
        return 0;
    }
    for (const auto& sample : samples) {
        for (const auto& match : classifier->classify(sample)) {
            require(match.rule_index < classifier->rules().size(), "a match names a rule");
            require(match.fields.size() <= classifier->rules()[match.rule_index].fields.size(),
                    "a match has at most the rule's fields");
        }
    }
    return 0;
}
