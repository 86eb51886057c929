// The lz4 decompressor, on a stream the lz4 tool wrote (tests/fixtures/lz4/README.md): two frames
// read on, fed in pieces of every size; a cut stream and corrupt bytes are errors.

#include "support/shared_data.hpp"

#include <diag/logs/decompress.hpp>

#include <fstream>
#include <iterator>
#include <string>

#include <catch2/catch.hpp>

namespace {

std::string fixture() {
    std::ifstream in(diag::test::source_dir() / "tests/fixtures/lz4/two-frames.lz4",
                     std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string expected_text() {
    std::string text;
    for (int i = 1; i <= 3000; ++i) {
        text += "line " + std::to_string(i) + " of the first frame\n";
    }
    for (int i = 1; i <= 10; ++i) {
        text += "second frame " + std::to_string(i) + "\n";
    }
    return text;
}

}  // namespace

TEST_CASE("decompress: an lz4 stream of two frames is detected and read whole in any pieces") {
    const auto bytes = fixture();
    REQUIRE(bytes.size() > 4);
    CHECK(diag::logs::detect_compression(bytes) == diag::logs::Compression::lz4);
    CHECK(diag::logs::to_string(diag::logs::Compression::lz4) == "lz4");
    const auto want = expected_text();
    for (const std::size_t piece :
         {std::size_t{1}, std::size_t{7}, std::size_t{4096}, bytes.size()}) {
        INFO("piece " << piece);
        auto decompressor = diag::logs::Decompressor::create(diag::logs::Compression::lz4);
        std::string got;
        for (std::size_t at = 0; at < bytes.size(); at += piece) {
            const auto fed = decompressor->feed(std::string_view(bytes).substr(at, piece),
                                                [&](std::string_view out) { got += out; });
            REQUIRE(fed.has_value());
        }
        CHECK(decompressor->finish().has_value());
        CHECK(got == want);
    }
}

TEST_CASE("decompress: a cut lz4 stream and corrupt lz4 bytes are errors, not silence") {
    const auto bytes = fixture();
    auto cut = diag::logs::Decompressor::create(diag::logs::Compression::lz4);
    std::string got;
    REQUIRE(cut->feed(std::string_view(bytes).substr(0, bytes.size() / 2),
                      [&](std::string_view out) { got += out; })
                .has_value());
    const auto finished = cut->finish();
    REQUIRE_FALSE(finished.has_value());
    CHECK(finished.error().find("lz4") != std::string::npos);
    CHECK(expected_text().starts_with(got));

    std::string corrupt = bytes;
    corrupt[4] = static_cast<char>(0xff);  // the frame descriptor's flags: an unknown version
    auto broken = diag::logs::Decompressor::create(diag::logs::Compression::lz4);
    const auto fed = broken->feed(corrupt, [](std::string_view) {});
    REQUIRE_FALSE(fed.has_value());
    CHECK(fed.error().starts_with("lz4: "));
}
