// Fuzzes decode_taint (/proc/sys/kernel/tainted, Documentation/admin-guide/tainted-kernels.rst).
// The input's first eight bytes are the mask. Invariants: one flag per set bit, in bit order;
// known bits have their own capital letter and a meaning, unknown ones '?' and info severity.

#include "fuzz_check.hpp"

#include <diag/sys/taint.hpp>

#include <bit>
#include <cstring>
#include <set>

namespace {

using diag::fuzz::require;

// The number of flags the kernel documents (bits 0 to 19, P to J).
constexpr unsigned kDocumentedBits = 20;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::uint64_t mask = 0;
    std::memcpy(&mask, data, std::min(size, sizeof mask));

    const auto flags = diag::sys::decode_taint(mask);
    require(flags.size() == static_cast<std::size_t>(std::popcount(mask)), "one flag per set bit");

    std::uint64_t seen = 0;
    std::set<char> letters;
    unsigned previous = 0;
    for (std::size_t i = 0; i < flags.size(); ++i) {
        const auto& flag = flags[i];
        require(flag.bit < 64 && (mask >> flag.bit & 1U) == 1U, "a flag's bit is set in the mask");
        require(i == 0 || flag.bit > previous, "flags come in bit order, each once");
        previous = flag.bit;
        seen |= std::uint64_t{1} << flag.bit;
        require(!flag.meaning.empty(), "every flag says what it means");
        if (flag.bit < kDocumentedBits) {
            require(flag.letter >= 'A' && flag.letter <= 'Z', "a known flag has a capital letter");
            require(letters.insert(flag.letter).second, "no two known flags share a letter");
        } else {
            require(flag.letter == '?' && flag.severity == diag::Severity::info,
                    "an unknown bit is '?' and info");
        }
    }
    require(seen == mask, "the flags cover the mask");

    // Each bit decodes the same alone as within the whole mask.
    for (const auto& flag : flags) {
        const auto alone = diag::sys::decode_taint(std::uint64_t{1} << flag.bit);
        require(alone.size() == 1 && alone[0].letter == flag.letter &&
                    alone[0].severity == flag.severity && alone[0].meaning == flag.meaning,
                "a bit decodes the same alone");
    }
    return 0;
}
