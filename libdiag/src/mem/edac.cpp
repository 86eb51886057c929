#include "diag/mem/edac.hpp"

#include <algorithm>
#include <charconv>
#include <set>

namespace diag::mem {

namespace {

std::string_view trim(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\n\r");
    if (first == std::string_view::npos) {
        return {};
    }
    const auto last = text.find_last_not_of(" \t\n\r");
    return text.substr(first, last - first + 1);
}

const std::string* find_file(const EdacFiles& files, std::string_view path) {
    const auto it = files.find(path);
    return it == files.end() ? nullptr : &it->second;
}

std::optional<std::uint64_t> count_at(const EdacFiles& files, const std::string& path,
                                      std::vector<std::string>& unreadable) {
    const auto* text = find_file(files, path);
    if (text == nullptr) {
        return std::nullopt;
    }
    auto value = parse_edac_count(*text);
    if (!value) {
        unreadable.push_back(path);
    }
    return value;
}

std::optional<std::string> text_at(const EdacFiles& files, const std::string& path) {
    const auto* text = find_file(files, path);
    return text == nullptr ? std::nullopt : parse_edac_text(*text);
}

// Directory names directly under the controller that start with prefix and go on with digits.
std::vector<std::string> subdirs(const EdacFiles& files, std::string_view prefix) {
    std::set<std::string> names;
    for (const auto& [path, text] : files) {
        const auto slash = path.find('/');
        if (slash == std::string::npos) {
            continue;
        }
        const std::string_view dir = std::string_view(path).substr(0, slash);
        if (dir.size() > prefix.size() && dir.starts_with(prefix) &&
            std::all_of(dir.begin() + static_cast<long>(prefix.size()), dir.end(),
                        [](char c) { return c >= '0' && c <= '9'; })) {
            names.emplace(dir);
        }
    }
    std::vector<std::string> sorted(names.begin(), names.end());
    // Numeric order: dimm2 before dimm10.
    std::ranges::sort(sorted, [&](const std::string& a, const std::string& b) {
        return a.size() != b.size() ? a.size() < b.size() : a < b;
    });
    return sorted;
}

}  // namespace

std::optional<std::uint64_t> parse_edac_count(std::string_view text) {
    if (!text.empty() && text.back() == '\n') {
        text.remove_suffix(1);
    }
    if (text.empty()) {
        return std::nullopt;
    }
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

std::optional<std::string> parse_edac_text(std::string_view text) {
    const auto trimmed = trim(text);
    if (trimmed.empty()) {
        return std::nullopt;
    }
    return std::string(trimmed);
}

EdacController decode_edac_controller(std::string name, const EdacFiles& files) {
    EdacController controller;
    controller.name = std::move(name);
    auto& bad = controller.unreadable;
    controller.ce_count = count_at(files, "ce_count", bad);
    controller.ue_count = count_at(files, "ue_count", bad);
    controller.ce_noinfo_count = count_at(files, "ce_noinfo_count", bad);
    controller.ue_noinfo_count = count_at(files, "ue_noinfo_count", bad);

    // New layout (kernel 3.6 on): dimmN/ or rankN/ with dimm_* attributes and size in MiB.
    for (const char* prefix : {"dimm", "rank"}) {
        for (const auto& dir : subdirs(files, prefix)) {
            EdacDimm dimm;
            dimm.name = dir;
            dimm.label = text_at(files, dir + "/dimm_label");
            dimm.location = text_at(files, dir + "/dimm_location");
            dimm.ce_count = count_at(files, dir + "/dimm_ce_count", bad);
            dimm.ue_count = count_at(files, dir + "/dimm_ue_count", bad);
            dimm.size_mib = count_at(files, dir + "/size", bad);
            controller.dimms.push_back(std::move(dimm));
            controller.layout = EdacLayout::dimm;
        }
    }

    // Old layout: csrowN/ with totals and chM_ce_count, chM_dimm_label per channel. Some
    // drivers (and node_exporter's fixture) also have chM_ue_count.
    for (const auto& row : subdirs(files, "csrow")) {
        EdacCsrow csrow{row, count_at(files, row + "/ce_count", bad),
                        count_at(files, row + "/ue_count", bad)};
        const auto size_mib = count_at(files, row + "/size_mb", bad);
        std::set<unsigned> channels;
        const std::string prefix = row + "/ch";
        for (auto it = files.lower_bound(prefix);
             it != files.end() && it->first.starts_with(prefix); ++it) {
            const std::string_view rest = std::string_view(it->first).substr(prefix.size());
            unsigned channel = 0;
            const auto [end, error] =
                std::from_chars(rest.data(), rest.data() + rest.size(), channel);
            if (error == std::errc{} && end != rest.data() && *end == '_') {
                channels.insert(channel);
            }
        }
        if (controller.layout == EdacLayout::unknown) {
            controller.layout = EdacLayout::csrow;
        }
        // With the new layout present, csrow directories are the kernel's compatibility view
        // of the same modules; only their totals are kept then.
        if (controller.layout == EdacLayout::csrow) {
            for (const unsigned channel : channels) {
                const std::string stem = prefix + std::to_string(channel);
                EdacDimm dimm;
                dimm.name = row + "/ch" + std::to_string(channel);
                dimm.label = text_at(files, stem + "_dimm_label");
                dimm.ce_count = count_at(files, stem + "_ce_count", bad);
                dimm.ue_count = count_at(files, stem + "_ue_count", bad);
                if (channels.size() == 1) {
                    dimm.size_mib = size_mib;
                }
                controller.dimms.push_back(std::move(dimm));
            }
        }
        controller.csrows.push_back(std::move(csrow));
    }
    return controller;
}

namespace {

template <class Member, class RowMember>
std::optional<std::uint64_t> total(const EdacController& controller, Member mc_count, Member noinfo,
                                   RowMember row_count,
                                   std::optional<std::uint64_t> EdacDimm::*dimm_count) {
    if (controller.*mc_count) {
        return controller.*mc_count;
    }
    std::optional<std::uint64_t> sum = controller.*noinfo;
    auto add = [&](const std::optional<std::uint64_t>& value) {
        if (value) {
            sum = sum.value_or(0) + *value;
        }
    };
    if (!controller.csrows.empty()) {
        for (const auto& row : controller.csrows) {
            add(row.*row_count);
        }
    } else {
        for (const auto& dimm : controller.dimms) {
            add(dimm.*dimm_count);
        }
    }
    return sum;
}

}  // namespace

std::optional<std::uint64_t> total_ce(const EdacController& controller) {
    return total(controller, &EdacController::ce_count, &EdacController::ce_noinfo_count,
                 &EdacCsrow::ce_count, &EdacDimm::ce_count);
}

std::optional<std::uint64_t> total_ue(const EdacController& controller) {
    return total(controller, &EdacController::ue_count, &EdacController::ue_noinfo_count,
                 &EdacCsrow::ue_count, &EdacDimm::ue_count);
}

}  // namespace diag::mem
