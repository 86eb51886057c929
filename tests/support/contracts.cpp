#include "support/contracts.hpp"

#include <map>
#include <regex>
#include <set>

namespace diag::test {

namespace {

std::vector<std::string_view> lines_of(std::string_view text) {
    std::vector<std::string_view> lines;
    while (!text.empty()) {
        const auto newline = text.find('\n');
        lines.push_back(text.substr(0, newline));
        if (newline == std::string_view::npos) {
            break;
        }
        text.remove_prefix(newline + 1);
    }
    return lines;
}

// Checks the label set "{a="x",b="y"}" that starts text; returns the length consumed, or 0.
std::size_t check_labels(std::string_view text, std::vector<std::string>& problems,
                         std::string_view line) {
    static const std::regex kLabelName("[a-zA-Z_][a-zA-Z0-9_]*");
    std::size_t i = 1;
    while (i < text.size() && text[i] != '}') {
        const auto eq = text.find('=', i);
        if (eq == std::string_view::npos || eq + 1 >= text.size() || text[eq + 1] != '"') {
            problems.push_back("malformed labels: " + std::string(line));
            return 0;
        }
        const std::string name(text.substr(i, eq - i));
        if (!std::regex_match(name, kLabelName)) {
            problems.push_back("bad label name '" + name + "': " + std::string(line));
        }
        std::size_t k = eq + 2;
        while (k < text.size() && text[k] != '"') {
            if (text[k] == '\n') {
                problems.push_back("raw newline in label value: " + std::string(line));
            }
            if (text[k] == '\\') {
                const char next = k + 1 < text.size() ? text[k + 1] : '\0';
                if (next != '\\' && next != '"' && next != 'n') {
                    problems.push_back("bad escape in label value: " + std::string(line));
                }
                ++k;
            }
            ++k;
        }
        if (k >= text.size()) {
            problems.push_back("unterminated label value: " + std::string(line));
            return 0;
        }
        i = k + 1;
        if (i < text.size() && text[i] == ',') {
            ++i;
        }
    }
    return i < text.size() ? i + 1 : 0;
}

}  // namespace

bool is_nagios_status_line(std::string_view line) {
    static const std::string kItem =
        R"('(?:[^']|'')+'=(?:-?[0-9]+(?:\.[0-9]+)?|U)(?:s|ms|us|%|B|KB|MB|GB|TB|c)?)"
        R"((?:;[^; ]*){0,4})";
    static const std::regex kLine("[A-Z][A-Z0-9-]* (OK|WARNING|CRITICAL|UNKNOWN) - [^|\\n]*" +
                                  std::string("(?: \\| ") + kItem + "(?: " + kItem + ")*)?");
    return std::regex_match(line.begin(), line.end(), kLine);
}

std::vector<std::string> prometheus_problems(std::string_view exposition) {
    static const std::regex kMetricName("diag_[a-zA-Z0-9_:]*");
    static const std::regex kValue(R"([-+]?(?:[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|Inf|NaN))");
    std::vector<std::string> problems;
    std::map<std::string, int> help_count;
    std::map<std::string, std::string> types;
    std::set<std::string> finished_families;
    std::string current;

    if (!exposition.empty() && !exposition.ends_with('\n')) {
        problems.emplace_back("the exposition does not end with a newline");
    }
    for (auto line : lines_of(exposition)) {
        const std::string text(line);
        if (line.starts_with("# HELP ") || line.starts_with("# TYPE ")) {
            const auto rest = line.substr(7);
            const std::string name(rest.substr(0, rest.find(' ')));
            if (name != current) {
                if (!current.empty()) {
                    finished_families.insert(current);
                }
                if (finished_families.contains(name)) {
                    problems.push_back("family " + name + " appears twice: " + text);
                }
                current = name;
            }
            if (line.starts_with("# HELP ")) {
                if (++help_count[name] > 1) {
                    problems.push_back("second HELP for " + name);
                }
                continue;
            }
            const std::string type(rest.substr(rest.find(' ') + 1));
            if (types.contains(name)) {
                problems.push_back("second TYPE for " + name);
            }
            types[name] = type;
            if (type != "gauge" && type != "counter") {
                problems.push_back("unexpected type '" + type + "' for " + name);
            }
            if (type == "counter" && !name.ends_with("_total")) {
                problems.push_back("counter " + name + " does not end in _total");
            }
            continue;
        }
        if (line.empty() || line.starts_with('#')) {
            continue;
        }
        const auto name_end = line.find_first_of("{ ");
        const std::string name(line.substr(0, name_end));
        if (!std::regex_match(name, kMetricName)) {
            problems.push_back("metric name does not start with diag_ or is invalid: " + text);
        }
        if (name != current) {
            problems.push_back("sample outside its family's block (after " + current +
                               "): " + text);
        }
        if (!types.contains(name)) {
            problems.push_back("sample before its TYPE: " + text);
        }
        auto rest = line.substr(name_end == std::string_view::npos ? line.size() : name_end);
        if (rest.starts_with('{')) {
            const auto used = check_labels(rest, problems, line);
            if (used == 0) {
                continue;
            }
            rest.remove_prefix(used);
        }
        if (!rest.starts_with(' ')) {
            problems.push_back("no value: " + text);
            continue;
        }
        const std::string value(rest.substr(1));
        if (!std::regex_match(value, kValue)) {
            problems.push_back("bad value '" + value + "': " + text);
        }
    }
    return problems;
}

}  // namespace diag::test
