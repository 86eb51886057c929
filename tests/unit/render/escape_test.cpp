#include <diag/render/escape.hpp>

#include <catch2/catch.hpp>

using namespace std::string_literals;

TEST_CASE("escape: ESC and other C0 controls become visible escapes") {
    CHECK(diag::escape_for_terminal("\x1b[2Jgone") == "\\x1b[2Jgone");
    CHECK(diag::escape_for_terminal("a\nb\tc\rd") == "a\\nb\\tc\\rd");
    CHECK(diag::escape_for_terminal("bell\a") == "bell\\x07");
    CHECK(diag::escape_for_terminal("nul\0end"s) == "nul\\x00end");
}

TEST_CASE("escape: DEL becomes an escape") {
    CHECK(diag::escape_for_terminal("x\x7fy") == "x\\x7fy");
}

TEST_CASE("escape: C1 controls encoded in UTF-8 are escaped (CSI is U+009B)") {
    CHECK(diag::escape_for_terminal("\xc2\x9b"
                                    "2J") == "\\u009b2J");
    CHECK(diag::escape_for_terminal("\xc2\x80\xc2\x9f") == "\\u0080\\u009f");
    // U+00A0, the first code point after the C1 block, is printable and kept.
    CHECK(diag::escape_for_terminal("\xc2\xa0") == "\xc2\xa0");
}

TEST_CASE("escape: bytes that are not valid UTF-8 are escaped one by one") {
    CHECK(diag::escape_for_terminal("\xff") == "\\xff");
    CHECK(diag::escape_for_terminal("a\x9b"
                                    "b") == "a\\x9bb");
    // Overlong "/" and a UTF-16 surrogate (U+D800) are not well-formed UTF-8.
    CHECK(diag::escape_for_terminal("\xc0\xaf") == "\\xc0\\xaf");
    CHECK(diag::escape_for_terminal("\xed\xa0\x80") == "\\xed\\xa0\\x80");
    // A sequence cut short at the end of the text.
    CHECK(diag::escape_for_terminal("ok\xe2\x82") == "ok\\xe2\\x82");
    CHECK(diag::escape_for_terminal("\xf4\x90\x80\x80") == "\\xf4\\x90\\x80\\x80");
}

TEST_CASE("escape: valid UTF-8 text is kept as it is") {
    const std::string text =
        "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x92\xa9"
        "0 /dev/sda";
    CHECK(diag::escape_for_terminal(text) == text);
    CHECK(diag::escape_for_terminal("") == "");
}

TEST_CASE("escape: a backslash is doubled so escapes cannot be forged") {
    CHECK(diag::escape_for_terminal("C:\\x1b") == "C:\\\\x1b");
}

TEST_CASE("sanitize_utf8: invalid bytes become '?', valid text and controls are kept") {
    CHECK(diag::sanitize_utf8("a\xff"
                              "b") == "a?b");
    CHECK(diag::sanitize_utf8("\xe2\x82") == "??");
    CHECK(diag::sanitize_utf8("caf\xc3\xa9") == "caf\xc3\xa9");
    CHECK(diag::sanitize_utf8("\x1b[0m\n") == "\x1b[0m\n");
    CHECK(diag::sanitize_utf8("\xc2\x9b") == "\xc2\x9b");
}
