#include "diag/logs/classifier.hpp"

#include "diag/logs/line_splitter.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <cstdlib>
#include <cstring>
#include <utility>

#include <hs/hs.h>

namespace diag::logs {

struct Classifier::Database {
    hs_database_t* database = nullptr;
    hs_scratch_t* scratch = nullptr;
    // The line screen: the patterns without anchors, block mode and prefiltering.
    hs_database_t* screen = nullptr;
    bool screen_prebuilt = false;
    // The per-message database is compiled on first use; flags per rule for it.
    std::vector<unsigned> block_flags;
    bool block_tried = false;

    Database() = default;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;
    Database(Database&&) = delete;
    Database& operator=(Database&&) = delete;
    ~Database() {
        hs_free_scratch(scratch);
        hs_free_database(database);
        hs_free_database(screen);
    }
};

namespace {

// The line screen's database, or why a pattern cannot go into it. A rule's pattern is
// matched against a message, which the raw line holds after its header: without "^" and "$" it
// matches the line wherever the message does (removing anchors only widens what matches).
std::expected<hs_database_t*, std::string> compile_screen(const std::vector<Rule>& rules) {
    std::vector<std::string> unanchored;
    std::vector<const char*> patterns;
    std::vector<unsigned> flags;
    std::vector<unsigned> ids;
    for (std::size_t i = 0; i < rules.size(); ++i) {
        std::string pattern = rules[i].pattern;
        if (pattern.starts_with('^')) {
            pattern.erase(0, 1);
        }
        if (pattern.ends_with('$') && !pattern.ends_with("\\$")) {
            pattern.pop_back();
        }
        unanchored.push_back(std::move(pattern));
        flags.push_back(HS_FLAG_PREFILTER | HS_FLAG_ALLOWEMPTY);
        ids.push_back(static_cast<unsigned>(i));
    }
    for (const auto& pattern : unanchored) {
        patterns.push_back(pattern.c_str());
    }
    hs_database_t* screen = nullptr;
    hs_compile_error_t* error = nullptr;
    if (hs_compile_multi(patterns.data(), flags.data(), ids.data(),
                         static_cast<unsigned>(patterns.size()), HS_MODE_BLOCK, nullptr, &screen,
                         &error) != HS_SUCCESS) {
        std::string message = "vectorscan: ";
        if (error != nullptr) {
            const auto index =
                static_cast<std::size_t>(error->expression < 0 ? 0 : error->expression);
            message += "rule " + rules.at(index).id + ": " + error->message;
        }
        hs_free_compile_error(error);
        return std::unexpected(message);
    }
    return screen;
}

// FNV-1a (64 bits) over every pattern and a separator: a prebuilt screen is for exactly these
// patterns, in this order.
std::uint64_t patterns_fingerprint(const std::vector<Rule>& rules) {
    constexpr std::uint64_t kOffsetBasis = 14695981039346656037ULL;
    constexpr std::uint64_t kPrime = 1099511628211ULL;
    std::uint64_t hash = kOffsetBasis;
    const auto add = [&](unsigned char byte) {
        hash ^= byte;
        hash *= kPrime;
    };
    for (const auto& rule : rules) {
        for (const char c : rule.pattern) {
            add(static_cast<unsigned char>(c));
        }
        add(0);
    }
    return hash;
}

// The screen from serialized_screen()'s bytes, or null when they are for other patterns or
// this Vectorscan cannot use them (another version, or a CPU without the features they were
// compiled for: hs_alloc_scratch checks the platform).
hs_database_t* load_screen(const std::vector<Rule>& rules, std::string_view bytes) {
    std::uint64_t fingerprint = 0;
    if (bytes.size() <= sizeof fingerprint) {
        return nullptr;
    }
    std::memcpy(&fingerprint, bytes.data(), sizeof fingerprint);
    bytes.remove_prefix(sizeof fingerprint);
    if (fingerprint != patterns_fingerprint(rules)) {
        return nullptr;
    }
    hs_database_t* screen = nullptr;
    if (hs_deserialize_database(bytes.data(), bytes.size(), &screen) != HS_SUCCESS) {
        return nullptr;
    }
    hs_scratch_t* scratch = nullptr;
    if (hs_alloc_scratch(screen, &scratch) != HS_SUCCESS) {
        hs_free_database(screen);
        return nullptr;
    }
    hs_free_scratch(scratch);
    return screen;
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

std::expected<Classifier, std::string> Classifier::build(std::vector<Rule> rules,
                                                         std::string_view prebuilt_screen) {
    if (rules.empty()) {
        return std::unexpected("no rules to compile");
    }
    std::vector<std::regex> regexes;
    regexes.reserve(rules.size());
    std::vector<unsigned> flags;
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
        // Lookaround is the construct Vectorscan lacks in our dialect; anything else it refuses
        // is found by compiling (below), one retry per pattern.
        unsigned flag = HS_FLAG_SINGLEMATCH;
        if (rule.pattern.find("(?=") != std::string::npos ||
            rule.pattern.find("(?!") != std::string::npos ||
            rule.pattern.find("(?<") != std::string::npos) {
            flag |= HS_FLAG_PREFILTER;
        }
        flags.push_back(flag);
    }
    auto database = std::make_unique<Database>();
    database->screen = load_screen(rules, prebuilt_screen);
    database->screen_prebuilt = database->screen != nullptr;
    if (database->screen == nullptr) {
        auto screen = compile_screen(rules);
        if (!screen) {
            return std::unexpected(screen.error());
        }
        database->screen = *screen;
    }
    database->block_flags = std::move(flags);
    return Classifier(std::move(rules), std::move(regexes), std::move(database));
}

bool Classifier::ensure_block_database() const {
    if (database_->block_tried) {
        return database_->database != nullptr;
    }
    database_->block_tried = true;
    std::vector<const char*> patterns;
    std::vector<unsigned> ids;
    for (std::size_t i = 0; i < rules_.size(); ++i) {
        patterns.push_back(rules_[i].pattern.c_str());
        ids.push_back(static_cast<unsigned>(i));
    }
    auto& flags = database_->block_flags;
    hs_compile_error_t* error = nullptr;
    while (hs_compile_multi(patterns.data(), flags.data(), ids.data(),
                            static_cast<unsigned>(patterns.size()), HS_MODE_BLOCK, nullptr,
                            &database_->database, &error) != HS_SUCCESS) {
        // A pattern Vectorscan cannot take exactly is retried in prefiltering mode, once.
        const int failed = error != nullptr ? error->expression : -1;
        hs_free_compile_error(error);
        error = nullptr;
        if (failed < 0 || static_cast<std::size_t>(failed) >= flags.size() ||
            (flags[static_cast<std::size_t>(failed)] & HS_FLAG_PREFILTER) != 0) {
            database_->database = nullptr;
            return false;
        }
        flags[static_cast<std::size_t>(failed)] |= HS_FLAG_PREFILTER;
    }
    if (hs_alloc_scratch(database_->database, &database_->scratch) != HS_SUCCESS) {
        hs_free_database(database_->database);
        database_->database = nullptr;
        return false;
    }
    return true;
}

std::vector<RuleMatch> Classifier::confirm(std::string_view line, std::string_view program,
                                           std::vector<unsigned>& hits) const {
    std::vector<RuleMatch> matches;
    std::sort(hits.begin(), hits.end());
    hits.erase(std::unique(hits.begin(), hits.end()), hits.end());
    for (const unsigned id : hits) {
        const Rule& rule = rules_.at(id);
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

std::vector<RuleMatch> Classifier::classify(std::string_view text, std::string_view program) const {
    const std::string_view line = first_line(text);
    std::vector<unsigned> hits;
    if (ensure_block_database()) {
        hs_scan(database_->database, line.data(), static_cast<unsigned>(line.size()), 0,
                database_->scratch, on_match, &hits);
    } else {
        // No per-message database: every rule is tried by std::regex (slow, still right).
        for (unsigned i = 0; i < rules_.size(); ++i) {
            hits.push_back(i);
        }
    }
    if (hits.empty()) {
        return {};
    }
    return confirm(line, program, hits);
}

std::vector<RuleMatch> Classifier::classify(const LogRecord& record) const {
    if (record.rule_hints.empty()) {
        return classify(record.message, record.program);
    }
    // The screen saw these rules' unanchored patterns end in the record's first line: a
    // superset of what the per-message database would report.
    std::vector<unsigned> hits(record.rule_hints.begin(), record.rule_hints.end());
    return confirm(first_line(record.message), record.program, hits);
}

bool Classifier::has_screen() const {
    return database_->screen != nullptr;
}

bool Classifier::screen_prebuilt() const {
    return database_->screen_prebuilt;
}

std::string Classifier::serialized_screen() const {
    char* bytes = nullptr;
    std::size_t length = 0;
    if (database_->screen == nullptr ||
        hs_serialize_database(database_->screen, &bytes, &length) != HS_SUCCESS) {
        return {};
    }
    const std::uint64_t fingerprint = patterns_fingerprint(rules_);
    std::string out(sizeof fingerprint, '\0');
    std::memcpy(out.data(), &fingerprint, sizeof fingerprint);
    out.append(bytes, length);
    std::free(bytes);  // NOLINT(cppcoreguidelines-no-malloc): hs_serialize_database's malloc
    return out;
}

struct LineScreen::Scanner {
    const hs_database_t* database = nullptr;
    hs_scratch_t* scratch = nullptr;
    // The start of a line that the bytes so far have not ended (at most kCarryBytes of it),
    // and its stream offset.
    std::string carry;
    std::uint64_t carry_start = 0;
    // Stream offset of the next byte given to scan().
    std::uint64_t offset = 0;

    Scanner() = default;
    Scanner(const Scanner&) = delete;
    Scanner& operator=(const Scanner&) = delete;
    Scanner(Scanner&&) = delete;
    Scanner& operator=(Scanner&&) = delete;
    ~Scanner() { hs_free_scratch(scratch); }
};

namespace {

// The most of one line the screen holds back: no record keeps more of a line.
constexpr std::size_t kCarryBytes = LineSplitter::kDefaultMaxLineBytes;

struct ScreenContext {
    std::vector<LineScreen::Hit>* hits;
    std::uint64_t start;
};

int on_screen_match(unsigned int id, unsigned long long /*from*/, unsigned long long to,
                    unsigned int /*flags*/, void* context) {
    auto& screen = *static_cast<ScreenContext*>(context);
    screen.hits->push_back({screen.start + to, id});
    return 0;
}

}  // namespace

LineScreen::LineScreen(const Classifier& classifier) : scanner_(std::make_unique<Scanner>()) {
    const hs_database_t* screen = classifier.database_->screen;
    assert(screen != nullptr && "LineScreen needs a classifier with a screen");
    if (hs_alloc_scratch(screen, &scanner_->scratch) == HS_SUCCESS) {
        scanner_->database = screen;
    }
}

LineScreen::~LineScreen() = default;

bool LineScreen::screens() const {
    return scanner_->database != nullptr;
}

void LineScreen::scan_block(std::string_view block, std::uint64_t start, std::vector<Hit>& hits) {
    if (block.empty()) {
        return;
    }
    ScreenContext context{&hits, start};
    const std::size_t before = hits.size();
    hs_scan(scanner_->database, block.data(), static_cast<unsigned>(block.size()), 0,
            scanner_->scratch, on_screen_match, &context);
    // Vectorscan reports matches in order of their ends; the sort only makes sure of it.
    std::sort(hits.begin() + static_cast<std::ptrdiff_t>(before), hits.end(),
              [](const Hit& a, const Hit& b) {
                  return a.end != b.end ? a.end < b.end : a.rule_index < b.rule_index;
              });
}

void LineScreen::scan(std::string_view bytes, std::vector<Hit>& hits) {
    auto& scanner = *scanner_;
    if (scanner.database == nullptr) {
        return;
    }
    const std::uint64_t start = scanner.offset;
    scanner.offset += bytes.size();
    const void* last = ::memrchr(bytes.data(), '\n', bytes.size());
    if (last == nullptr) {
        if (scanner.carry.empty()) {
            scanner.carry_start = start;
        }
        const std::size_t room = kCarryBytes - std::min(kCarryBytes, scanner.carry.size());
        scanner.carry.append(bytes.substr(0, room));
        return;
    }
    const auto whole = static_cast<std::size_t>(static_cast<const char*>(last) - bytes.data()) + 1;
    std::size_t done = 0;
    if (!scanner.carry.empty()) {
        // The held-back line ends in these bytes: it is scanned with its end, copied once.
        const auto first = bytes.find('\n') + 1;
        const std::size_t room = kCarryBytes - std::min(kCarryBytes, scanner.carry.size());
        scanner.carry.append(bytes.substr(0, std::min(first, room)));
        scan_block(scanner.carry, scanner.carry_start, hits);
        scanner.carry.clear();
        done = first;
    }
    scan_block(bytes.substr(done, whole - done), start + done, hits);
    scanner.carry_start = start + whole;
    scanner.carry.assign(bytes.substr(whole, std::min(kCarryBytes, bytes.size() - whole)));
}

void LineScreen::finish(std::vector<Hit>& hits) {
    if (scanner_->database != nullptr && !scanner_->carry.empty()) {
        scan_block(scanner_->carry, scanner_->carry_start, hits);
        scanner_->carry.clear();
    }
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
