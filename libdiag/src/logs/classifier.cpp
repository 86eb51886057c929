#include "diag/logs/classifier.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include <hs/hs.h>

namespace diag::logs {

struct Classifier::Database {
    hs_database_t* database = nullptr;
    hs_scratch_t* scratch = nullptr;

    Database() = default;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;
    Database(Database&&) = delete;
    Database& operator=(Database&&) = delete;
    ~Database() {
        hs_free_scratch(scratch);
        hs_free_database(database);
    }
};

namespace {

// Compiles one pattern alone to learn whether Vectorscan takes it as it is.
bool compiles_exactly(const std::string& pattern, unsigned flags) {
    hs_database_t* database = nullptr;
    hs_compile_error_t* error = nullptr;
    const hs_error_t result =
        hs_compile(pattern.c_str(), flags, HS_MODE_BLOCK, nullptr, &database, &error);
    hs_free_compile_error(error);
    hs_free_database(database);
    return result == HS_SUCCESS;
}

int on_match(unsigned int id, unsigned long long /*from*/, unsigned long long /*to*/,
             unsigned int /*flags*/, void* context) {
    static_cast<std::vector<unsigned>*>(context)->push_back(id);
    return 0;
}

std::string_view first_line(std::string_view text) {
    text = text.substr(0, std::min(text.find('\n'), text.size()));
    return text.substr(0, std::min(text.size(), Classifier::kMaxClassifiedBytes));
}

}  // namespace

Classifier::Classifier(std::vector<Rule> rules, std::vector<std::regex> regexes,
                       std::unique_ptr<Database> database)
    : rules_(std::move(rules)), regexes_(std::move(regexes)), database_(std::move(database)) {}

Classifier::Classifier(Classifier&&) noexcept = default;
Classifier& Classifier::operator=(Classifier&&) noexcept = default;
Classifier::~Classifier() = default;

std::expected<Classifier, std::string> Classifier::build(std::vector<Rule> rules) {
    if (rules.empty()) {
        return std::unexpected("no rules to compile");
    }
    std::vector<std::regex> regexes;
    regexes.reserve(rules.size());
    std::vector<const char*> patterns;
    std::vector<unsigned> flags;
    std::vector<unsigned> ids;
    for (std::size_t i = 0; i < rules.size(); ++i) {
        const Rule& rule = rules[i];
        try {
            regexes.emplace_back(rule.pattern, std::regex::ECMAScript | std::regex::optimize);
        } catch (const std::regex_error& e) {
            return std::unexpected("rule " + rule.id + ": pattern: " + e.what());
        }
        if (regexes.back().mark_count() < rule.fields.size()) {
            return std::unexpected("rule " + rule.id + ": " + std::to_string(rule.fields.size()) +
                                   " fields but only " +
                                   std::to_string(regexes.back().mark_count()) + " groups");
        }
        // SINGLEMATCH: one report per rule and message is all we need. A pattern with
        // constructs Vectorscan lacks (lookahead) is prefiltered: Vectorscan may then report a
        // superset, which std::regex narrows down below (Vectorscan docs, "Prefiltering Mode").
        unsigned flag = HS_FLAG_SINGLEMATCH;
        if (!compiles_exactly(rule.pattern, flag)) {
            flag |= HS_FLAG_PREFILTER;
        }
        patterns.push_back(rule.pattern.c_str());
        flags.push_back(flag);
        ids.push_back(static_cast<unsigned>(i));
    }
    auto database = std::make_unique<Database>();
    hs_compile_error_t* error = nullptr;
    if (hs_compile_multi(patterns.data(), flags.data(), ids.data(),
                         static_cast<unsigned>(patterns.size()), HS_MODE_BLOCK, nullptr,
                         &database->database, &error) != HS_SUCCESS) {
        std::string message = "vectorscan: ";
        if (error != nullptr) {
            const auto index =
                static_cast<std::size_t>(error->expression < 0 ? 0 : error->expression);
            message += "rule " + rules.at(index).id + ": " + error->message;
        }
        hs_free_compile_error(error);
        return std::unexpected(message);
    }
    if (hs_alloc_scratch(database->database, &database->scratch) != HS_SUCCESS) {
        return std::unexpected("vectorscan: hs_alloc_scratch failed");
    }
    return Classifier(std::move(rules), std::move(regexes), std::move(database));
}

std::vector<RuleMatch> Classifier::classify(std::string_view text, std::string_view program) const {
    const std::string_view line = first_line(text);
    std::vector<unsigned> hits;
    hs_scan(database_->database, line.data(), static_cast<unsigned>(line.size()), 0,
            database_->scratch, on_match, &hits);
    std::vector<RuleMatch> matches;
    if (hits.empty()) {
        return matches;
    }
    std::sort(hits.begin(), hits.end());
    for (const unsigned id : hits) {
        const Rule& rule = rules_[id];
        if (!rule.program.empty() && !program.empty() && rule.program != program) {
            continue;
        }
        std::match_results<std::string_view::const_iterator> groups;
        if (!std::regex_search(line.begin(), line.end(), groups, regexes_[id])) {
            continue;
        }
        RuleMatch match{id, {}};
        for (std::size_t f = 0; f < rule.fields.size(); ++f) {
            if (groups[f + 1].matched && groups[f + 1].length() > 0) {
                match.fields.push_back({rule.fields[f], groups[f + 1].str()});
            }
        }
        matches.push_back(std::move(match));
    }
    return matches;
}

std::vector<RuleMatch> Classifier::classify(const LogRecord& record) const {
    return classify(record.message, record.program);
}

std::string subject_of(const std::vector<RecordField>& fields) {
    static constexpr std::array<std::string_view, 9> kPreferred{
        "device", "interface", "process", "pid", "array", "controller", "pci", "zone", "unit"};
    for (const auto name : kPreferred) {
        for (const auto& field : fields) {
            if (field.name == name) {
                return field.value;
            }
        }
    }
    return {};
}

}  // namespace diag::logs
