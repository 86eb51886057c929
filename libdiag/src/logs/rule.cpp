#include "diag/logs/rule.hpp"

#include <cassert>
#include <optional>
#include <utility>

namespace diag::logs {

namespace {

std::string_view trim(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) {
        return {};
    }
    const auto last = text.find_last_not_of(" \t\r");
    return text.substr(first, last - first + 1);
}

std::vector<std::string> split_fields(std::string_view text) {
    std::vector<std::string> fields;
    while (!text.empty()) {
        const auto comma = std::min(text.find(','), text.size());
        const auto field = trim(text.substr(0, comma));
        if (!field.empty()) {
            fields.emplace_back(field);
        }
        text.remove_prefix(std::min(comma + 1, text.size()));
    }
    return fields;
}

// The decoders do not link the core library, so the three names a rule may carry are read here.
std::optional<Severity> rule_severity(std::string_view name) {
    if (name == "info") {
        return Severity::info;
    }
    if (name == "warning") {
        return Severity::warning;
    }
    if (name == "critical") {
        return Severity::critical;
    }
    return std::nullopt;
}

struct RuleBuilder {
    Rule rule;
    std::size_t line = 0;
    bool has_severity = false;
};

// Sets one key of the rule; false for an unknown key or a bad value.
bool set_key(RuleBuilder& builder, std::string_view key, std::string_view value,
             std::string& problem) {
    Rule& rule = builder.rule;
    if (key == "category") {
        rule.category = value;
    } else if (key == "severity") {
        const auto severity = rule_severity(value);
        if (!severity) {
            problem = "severity must be info, warning or critical";
            return false;
        }
        rule.severity = *severity;
        builder.has_severity = true;
    } else if (key == "program") {
        rule.program = value;
    } else if (key == "pattern") {
        rule.pattern = value;
    } else if (key == "fields") {
        rule.fields = split_fields(value);
    } else if (key == "meaning") {
        rule.meaning = value;
    } else if (key == "source") {
        rule.source = value;
    } else if (key == "sample") {
        rule.sample = value;
    } else if (key == "near_miss") {
        rule.near_miss = value;
    } else {
        problem = "unknown key '" + std::string(key) + "'";
        return false;
    }
    return true;
}

void finish_rule(std::optional<RuleBuilder>& builder, std::vector<Rule>& rules,
                 std::vector<RuleFileError>& errors) {
    if (!builder) {
        return;
    }
    const Rule& rule = builder->rule;
    std::string missing;
    for (const auto& [name, empty] : {std::pair{"category", rule.category.empty()},
                                      {"severity", !builder->has_severity},
                                      {"pattern", rule.pattern.empty()},
                                      {"meaning", rule.meaning.empty()}}) {
        if (empty) {
            missing += missing.empty() ? name : std::string(", ") + name;
        }
    }
    if (!missing.empty()) {
        errors.push_back({builder->line, "rule " + rule.id + " lacks " + missing});
    } else {
        rules.push_back(std::move(builder->rule));
    }
    builder.reset();
}

}  // namespace

std::pair<std::vector<Rule>, std::vector<RuleFileError>> parse_rule_file(std::string_view text) {
    std::vector<Rule> rules;
    std::vector<RuleFileError> errors;
    std::optional<RuleBuilder> builder;
    std::size_t line_number = 0;
    while (!text.empty()) {
        const auto end = std::min(text.find('\n'), text.size());
        const auto line = trim(text.substr(0, end));
        text.remove_prefix(std::min(end + 1, text.size()));
        ++line_number;
        if (line.empty() || line.starts_with('#')) {
            continue;
        }
        if (line.starts_with('[') && line.ends_with(']')) {
            finish_rule(builder, rules, errors);
            builder.emplace();
            builder->rule.id = trim(line.substr(1, line.size() - 2));
            builder->line = line_number;
            if (builder->rule.id.empty()) {
                errors.push_back({line_number, "empty rule id"});
            }
            continue;
        }
        const auto equals = line.find('=');
        if (equals == std::string_view::npos) {
            errors.push_back({line_number, "expected '[rule.id]' or 'key = value'"});
            continue;
        }
        if (!builder) {
            errors.push_back({line_number, "'key = value' before the first '[rule.id]'"});
            continue;
        }
        std::string problem;
        if (!set_key(*builder, trim(line.substr(0, equals)), trim(line.substr(equals + 1)),
                     problem)) {
            errors.push_back({line_number, problem});
        }
    }
    finish_rule(builder, rules, errors);
    return {std::move(rules), std::move(errors)};
}

std::vector<Rule> builtin_rules() {
    auto [rules, errors] = parse_rule_file(builtin_rule_text());
    assert(errors.empty() && "the built-in rule catalogue must parse cleanly");
    return std::move(rules);
}

}  // namespace diag::logs
