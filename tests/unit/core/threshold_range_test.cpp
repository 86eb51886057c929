// Threshold ranges as the Monitoring Plugins Development Guidelines define them
// ("Threshold and ranges"): a value outside start..end alerts, or inside it with '@'.

#include <diag/core/threshold_range.hpp>

#include <catch2/catch.hpp>

namespace {

diag::ThresholdRange parsed(std::string_view text) {
    auto range = diag::parse_threshold_range(text);
    INFO("range text: '" << text << "'");
    REQUIRE(range.has_value());
    return *range;
}

}  // namespace

TEST_CASE("threshold range: a bare number is 0..N and alerts below zero or above N") {
    const auto range = parsed("10");
    CHECK(range.start == 0.0);
    CHECK(range.end == 10.0);
    CHECK_FALSE(range.start_infinite);
    CHECK_FALSE(range.end_infinite);
    CHECK_FALSE(range.inside);
    CHECK(range.text == "10");

    CHECK_FALSE(range.alerts(0.0));
    CHECK_FALSE(range.alerts(5.5));
    CHECK_FALSE(range.alerts(10.0));
    CHECK(range.alerts(10.01));
    CHECK(range.alerts(-0.5));
}

TEST_CASE("threshold range: 'N:' has no upper end and alerts only below N") {
    const auto range = parsed("10:");
    CHECK(range.start == 10.0);
    CHECK(range.end_infinite);
    CHECK(range.alerts(9.99));
    CHECK_FALSE(range.alerts(10.0));
    CHECK_FALSE(range.alerts(1e12));
}

TEST_CASE("threshold range: '~:N' starts at minus infinity and alerts only above N") {
    const auto range = parsed("~:10");
    CHECK(range.start_infinite);
    CHECK(range.end == 10.0);
    CHECK_FALSE(range.alerts(-1e12));
    CHECK_FALSE(range.alerts(10.0));
    CHECK(range.alerts(10.5));
}

TEST_CASE("threshold range: 'A:B' alerts outside A..B, ends included") {
    const auto range = parsed("10:20");
    CHECK(range.start == 10.0);
    CHECK(range.end == 20.0);
    CHECK(range.alerts(9.0));
    CHECK_FALSE(range.alerts(10.0));
    CHECK_FALSE(range.alerts(15.0));
    CHECK_FALSE(range.alerts(20.0));
    CHECK(range.alerts(21.0));
}

TEST_CASE("threshold range: '@A:B' alerts inside A..B, ends included") {
    const auto range = parsed("@10:20");
    CHECK(range.inside);
    CHECK(range.text == "@10:20");
    CHECK_FALSE(range.alerts(9.0));
    CHECK(range.alerts(10.0));
    CHECK(range.alerts(15.0));
    CHECK(range.alerts(20.0));
    CHECK_FALSE(range.alerts(21.0));
}

TEST_CASE("threshold range: negative and fractional bounds parse") {
    const auto range = parsed("-5.5:2.25");
    CHECK(range.start == -5.5);
    CHECK(range.end == 2.25);
    CHECK(range.alerts(-6.0));
    CHECK_FALSE(range.alerts(0.0));
}

TEST_CASE("threshold range: malformed text is an error that quotes it") {
    for (const char* bad :
         {"", "abc", "10:abc", "x:10", ":10", "20:10", "1:2:3", "~", "@", "10 ", "nan", "@nan:5"}) {
        INFO("range text: '" << bad << "'");
        const auto range = diag::parse_threshold_range(bad);
        REQUIRE_FALSE(range.has_value());
        CHECK_THAT(range.error(), Catch::Contains(std::string("'") + bad + "'"));
    }
}
