// A range the fuzz target fuzz/fuzz_threshold_range found to misbehave, kept so the fix stays.

#include <diag/core/threshold_range.hpp>

#include <catch2/catch.hpp>

TEST_CASE("threshold range: nan is not a number a range can start or end at") {
    const auto start = diag::parse_threshold_range("nan:5");
    REQUIRE_FALSE(start.has_value());
    CHECK(start.error() == "invalid range 'nan:5': 'nan' is not a number");
    CHECK_FALSE(diag::parse_threshold_range("@nan").has_value());

    const auto infinite = diag::parse_threshold_range("-inf:inf");
    REQUIRE(infinite.has_value());
    CHECK_FALSE(infinite->alerts(1e308));
}
