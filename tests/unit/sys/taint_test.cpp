// Taint bits from Documentation/admin-guide/tainted-kernels.rst.

#include <diag/sys/taint.hpp>

#include <catch2/catch.hpp>

TEST_CASE("taint: an untainted kernel has no flags") {
    CHECK(diag::sys::decode_taint(0).empty());
}

TEST_CASE("taint: a machine check (M, bit 4) is critical") {
    const auto flags = diag::sys::decode_taint(16);
    REQUIRE(flags.size() == 1);
    CHECK(flags[0].bit == 4);
    CHECK(flags[0].letter == 'M');
    CHECK(flags[0].severity == diag::Severity::critical);
}

TEST_CASE("taint: died recently (D, bit 7) is critical and a warning (W, bit 9) a warning") {
    const auto flags = diag::sys::decode_taint((1U << 7U) | (1U << 9U));
    REQUIRE(flags.size() == 2);
    CHECK(flags[0].letter == 'D');
    CHECK(flags[0].severity == diag::Severity::critical);
    CHECK(flags[1].letter == 'W');
    CHECK(flags[1].severity == diag::Severity::warning);
}

TEST_CASE("taint: a proprietary and an out-of-tree module are info, in bit order") {
    // 4097 = P (bit 0) + O (bit 12), as on a box with the NVIDIA driver.
    const auto flags = diag::sys::decode_taint(4097);
    REQUIRE(flags.size() == 2);
    CHECK(flags[0].letter == 'P');
    CHECK(flags[1].letter == 'O');
    CHECK(flags[0].severity == diag::Severity::info);
    CHECK(flags[1].severity == diag::Severity::info);
}

TEST_CASE("taint: an unknown bit from a newer kernel is kept with letter '?'") {
    const auto flags = diag::sys::decode_taint((std::uint64_t{1} << 40U) | 1U);
    REQUIRE(flags.size() == 2);
    CHECK(flags[1].bit == 40);
    CHECK(flags[1].letter == '?');
    CHECK_FALSE(flags[1].meaning.empty());
}

TEST_CASE("taint: soft lockup (L) and the newest bits (N, J) have their letters") {
    const auto flags =
        diag::sys::decode_taint((1U << 14U) | (1U << 18U) | (1U << 19U) | (1U << 20U));
    REQUIRE(flags.size() == 4);
    CHECK(flags[0].letter == 'L');
    CHECK(flags[0].severity == diag::Severity::warning);
    CHECK(flags[1].letter == 'N');
    CHECK(flags[2].letter == 'J');
    CHECK(flags[3].letter == '?');
}
