#pragma once

#include <diag/logs/log_record.hpp>
#include <diag/logs/rule.hpp>

#include <cstdint>
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
/// only on the messages Vectorscan flagged, to confirm and extract fields. The line screen's
/// database is compiled (or loaded) by build() (so a bad pattern is reported there); the
/// per-message database on the first classify() that needs it, as --classified never does.
/// Not thread-safe (it owns one scratch space); build one per thread.
class Classifier {
public:
    /// Bytes of a message's first line that are classified: kernel lines are shorter
    /// (printk's PRINTKRB_RECORD_MAX is 1024), and it bounds std::regex's recursion.
    static constexpr std::size_t kMaxClassifiedBytes = 4096;

    /// Compiles the rules. A pattern Vectorscan cannot take as it is (lookaround) is compiled
    /// with HS_FLAG_PREFILTER and confirmed by std::regex. The error names the rule and why.
    /// `prebuilt_screen` is serialized_screen() of a classifier built earlier, such as
    /// builtin_screen_database(): it replaces compiling the line screen (the longest step,
    /// ~0.1 s) when it was made from these very patterns and this machine's Vectorscan can
    /// load it; otherwise the screen is compiled as without it.
    static std::expected<Classifier, std::string> build(std::vector<Rule> rules,
                                                        std::string_view prebuilt_screen = {});

    /// True when the line screen was loaded from build()'s prebuilt_screen, not compiled.
    [[nodiscard]] bool screen_prebuilt() const;

    /// The line screen's database as bytes for build(rules, bytes): a fingerprint of the
    /// patterns, then hs_serialize_database()'s output. Empty when there is no screen.
    [[nodiscard]] std::string serialized_screen() const;

    Classifier(Classifier&&) noexcept;
    Classifier& operator=(Classifier&&) noexcept;
    Classifier(const Classifier&) = delete;
    Classifier& operator=(const Classifier&) = delete;
    ~Classifier();

    /// The rules that match the first line of text, in catalogue order.
    [[nodiscard]] std::vector<RuleMatch> classify(std::string_view text,
                                                  std::string_view program = {}) const;
    /// classify() on a record's message and program. A record the line screen passed carries
    /// the rules it saw possible matches of (rule_hints): only those are tried, with the same
    /// result, and the block database is not needed.
    [[nodiscard]] std::vector<RuleMatch> classify(const LogRecord& record) const;

    [[nodiscard]] const std::vector<Rule>& rules() const { return rules_; }

    /// True when the rules compiled into the line screen (LineScreen); always after build().
    [[nodiscard]] bool has_screen() const;

    /// Compiles the per-message database now rather than on the first message, so a follower
    /// is not held up by it just as lines start to come in.
    void prepare() const { static_cast<void>(ensure_block_database()); }

private:
    friend class LineScreen;
    struct Database;
    // Compiles the per-message database on first use; false when it cannot be.
    bool ensure_block_database() const;
    std::vector<RuleMatch> confirm(std::string_view line, std::string_view program,
                                   std::vector<unsigned>& hits) const;
    Classifier(std::vector<Rule> rules, std::vector<std::regex> regexes,
               std::unique_ptr<Database> database);

    std::vector<Rule> rules_;
    std::vector<std::regex> regexes_;
    std::unique_ptr<Database> database_;
};

/// Finds, in a byte stream fed in chunks, where some rule could match: every rule's pattern
/// without its anchors, compiled for Vectorscan's block mode in prefiltering mode (a superset:
/// it never misses a line the classifier would match, Vectorscan docs "Prefiltering Mode"),
/// scanned once over the raw bytes instead of once per record. A line holding no match end
/// cannot be classified, so it need not be parsed. Rules match within one line, so the bytes
/// are scanned as blocks of whole lines (block mode keeps no stream state and measured 1.3
/// times the streaming rate on bench/logs.sh's syslog); a line cut by a chunk border waits for
/// its end in a buffer of at most LineSplitter::kDefaultMaxLineBytes, the most of a line any
/// record keeps. Owns its scratch: one per source and thread.
class LineScreen {
public:
    /// A screen over the classifier's rules; classifier.has_screen() must be true, and the
    /// classifier must outlive the screen.
    explicit LineScreen(const Classifier& classifier);
    ~LineScreen();
    LineScreen(const LineScreen&) = delete;
    LineScreen& operator=(const LineScreen&) = delete;
    LineScreen(LineScreen&&) = delete;
    LineScreen& operator=(LineScreen&&) = delete;

    /// False when Vectorscan could not allocate its scratch: then nothing is screened out.
    [[nodiscard]] bool screens() const;

    /// One possible match: the stream offset just past it, and the rule.
    struct Hit {
        std::uint64_t end = 0;
        std::uint32_t rule_index = 0;
    };

    /// Scans the next bytes of the stream; the possible matches in the lines they complete are
    /// appended to hits, in increasing order of their ends. Matches in a line not yet ended
    /// come with the call that ends it, or with finish().
    void scan(std::string_view bytes, std::vector<Hit>& hits);

    /// Scans the last line when the stream did not end with a newline.
    void finish(std::vector<Hit>& hits);

private:
    struct Scanner;
    // Scans one block of whole lines that starts at stream offset `start`.
    void scan_block(std::string_view block, std::uint64_t start, std::vector<Hit>& hits);
    std::unique_ptr<Scanner> scanner_;
};

/// The subject an event is about: its "device", "interface", "process", "pid", "array",
/// "controller", "pci", "zone" or "unit" field, in that order of preference; empty when it has
/// none of them.
std::string subject_of(const std::vector<RecordField>& fields);

}  // namespace diag::logs
