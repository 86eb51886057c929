#include "diag/disk/skblob.hpp"

#include <fmt/format.h>

namespace diag::disk {

namespace {

constexpr std::size_t kHeaderBytes = 8;

std::uint32_t be32(PageBytes bytes, std::size_t offset) {
    std::uint32_t value = 0;
    for (std::size_t i = 0; i < 4; ++i) {
        value = (value << 8U) | bytes[offset + i];
    }
    return value;
}

}  // namespace

Decoded<std::vector<SkBlobSection>> parse_skblob(PageBytes blob) {
    Decoded<std::vector<SkBlobSection>> out;
    std::size_t at = 0;
    while (at < blob.size()) {
        if (blob.size() - at < kHeaderBytes) {
            out.add_problem(
                fmt::format("libatasmart blob: {} stray bytes at offset {}", blob.size() - at, at));
            break;
        }
        SkBlobSection section;
        section.tag.assign(blob.begin() + static_cast<std::ptrdiff_t>(at),
                           blob.begin() + static_cast<std::ptrdiff_t>(at + 4));
        const std::size_t length = be32(blob, at + 4);
        at += kHeaderBytes;
        if (length > blob.size() - at) {
            out.add_problem(
                fmt::format("libatasmart blob: section at offset {} claims {} bytes, "
                            "only {} remain",
                            at - kHeaderBytes, length, blob.size() - at));
            break;
        }
        section.payload.assign(blob.begin() + static_cast<std::ptrdiff_t>(at),
                               blob.begin() + static_cast<std::ptrdiff_t>(at + length));
        at += length;
        out.value.push_back(std::move(section));
    }
    return out;
}

Decoded<AtaPages> ata_pages_from_skblob(PageBytes blob) {
    auto sections = parse_skblob(blob);
    Decoded<AtaPages> out;
    out.problems = std::move(sections.problems);
    for (auto& section : sections.value) {
        if (section.tag == "IDFY") {
            out.value.identify = std::move(section.payload);
        } else if (section.tag == "SMDT") {
            out.value.smart_data = std::move(section.payload);
        } else if (section.tag == "SMTH") {
            out.value.thresholds = std::move(section.payload);
        } else if (section.tag == "SMST" && section.payload.size() == 4) {
            out.value.return_status_passed = be32(page_bytes(section.payload), 0) != 0;
        } else {
            out.add_problem(fmt::format("libatasmart blob: section {:?} of {} bytes not used",
                                        section.tag, section.payload.size()));
        }
    }
    return out;
}

}  // namespace diag::disk
