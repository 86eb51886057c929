// Fuzzes the streaming decompressors (gzip, xz, zstd, lz4) that read rotated logs and
// systemd-coredump's cores: the kind comes from the input's first bytes, as in real use.
// Invariants: the bytes fed in pieces of any size give the same output and the same verdict
// as the bytes fed whole; an error always says which library refused.

#include "fuzz_check.hpp"

#include <diag/logs/decompress.hpp>

#include <algorithm>
#include <string>

using diag::fuzz::require;

namespace {

struct Outcome {
    std::string output;
    bool fed = true;
    bool finished = false;
};

Outcome run(diag::logs::Compression kind, std::string_view input, std::size_t piece) {
    Outcome outcome;
    auto decompressor = diag::logs::Decompressor::create(kind);
    const auto keep = [&](std::string_view out) {
        // Bounded: a tiny input can expand enormously; the invariant needs only a prefix.
        outcome.output.append(out.substr(0, std::min<std::size_t>(out.size(), 1U << 20U)));
    };
    for (std::size_t at = 0; at < input.size(); at += piece) {
        const auto fed = decompressor->feed(input.substr(at, piece), keep);
        if (!fed) {
            require(!fed.error().empty() && fed.error().find(':') != std::string::npos,
                    "an error names the library and the reason");
            outcome.fed = false;
            return outcome;
        }
    }
    outcome.finished = decompressor->finish().has_value();
    return outcome;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto input = diag::fuzz::as_text(data, size);
    const auto kind = diag::logs::detect_compression(input);
    if (kind == diag::logs::Compression::none || size == 0) {
        return 0;
    }
    const auto whole = run(kind, input, input.size());
    const std::size_t piece = 1 + data[size - 1] % 61U;
    const auto split = run(kind, input, piece);
    require(whole.fed == split.fed, "pieces and whole fail alike");
    if (whole.fed && whole.output.size() < (1U << 20U)) {
        require(whole.output == split.output, "pieces give the whole output");
        require(whole.finished == split.finished, "pieces and whole end alike");
    }
    return 0;
}
