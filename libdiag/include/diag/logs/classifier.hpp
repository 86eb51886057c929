#pragma once

#include <diag/logs/log_record.hpp>
#include <diag/logs/rule.hpp>

#include <expected>
#include <memory>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

namespace diag::logs {

/// One rule that matched a message, with the fields it extracted (only those that were found).
struct RuleMatch {
    std::size_t rule_index = 0;
    std::vector<RecordField> fields;
};

/// All rules compiled into one Vectorscan database, scanned once per message; std::regex runs
/// only on the messages Vectorscan flagged, to confirm and extract fields. Not thread-safe (it
/// owns one scratch space); build one per thread.
class Classifier {
public:
    /// Bytes of a message's first line that are classified: kernel lines are shorter
    /// (printk's PRINTKRB_RECORD_MAX is 1024), and it bounds std::regex's recursion.
    static constexpr std::size_t kMaxClassifiedBytes = 4096;

    /// Compiles the rules. A pattern Vectorscan cannot take as it is (lookaround) is compiled
    /// with HS_FLAG_PREFILTER and confirmed by std::regex. The error names the rule and why.
    static std::expected<Classifier, std::string> build(std::vector<Rule> rules);

    Classifier(Classifier&&) noexcept;
    Classifier& operator=(Classifier&&) noexcept;
    Classifier(const Classifier&) = delete;
    Classifier& operator=(const Classifier&) = delete;
    ~Classifier();

    /// The rules that match the first line of text, in catalogue order.
    [[nodiscard]] std::vector<RuleMatch> classify(std::string_view text,
                                                  std::string_view program = {}) const;
    /// classify() on a record's message and program.
    [[nodiscard]] std::vector<RuleMatch> classify(const LogRecord& record) const;

    [[nodiscard]] const std::vector<Rule>& rules() const { return rules_; }

private:
    struct Database;
    Classifier(std::vector<Rule> rules, std::vector<std::regex> regexes,
               std::unique_ptr<Database> database);

    std::vector<Rule> rules_;
    std::vector<std::regex> regexes_;
    std::unique_ptr<Database> database_;
};

/// The subject an event is about: its "device", "interface", "process", "pid", "array",
/// "controller", "pci", "zone" or "unit" field, in that order of preference; empty when it has
/// none of them.
std::string subject_of(const std::vector<RecordField>& fields);

}  // namespace diag::logs
