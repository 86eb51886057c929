// Fuzzes parse_skblob and ata_pages_from_skblob (libatasmart's blob: tag, 32-bit big-endian
// length, payload). Invariants: the sections fit in the blob; every tag is four bytes; the
// pages taken from it are the payloads of their tags.

#include "fuzz_disk.hpp"

#include <diag/disk/skblob.hpp>

using diag::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto page = diag::fuzz::as_page(data, size);
    const auto sections = diag::disk::parse_skblob(page);
    std::size_t used = 0;
    for (const auto& section : sections.value) {
        require(section.tag.size() == 4, "a tag is four bytes");
        used += 8 + section.payload.size();
    }
    require(used <= size, "sections fit in the blob");
    const auto pages = diag::disk::ata_pages_from_skblob(page);
    if (pages.value.identify) {
        bool found = false;
        for (const auto& section : sections.value) {
            found = found || (section.tag == "IDFY" && section.payload == *pages.value.identify);
        }
        require(found, "IDENTIFY is an IDFY payload");
    }
    return 0;
}
