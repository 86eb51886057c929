#include <diag/core/units.hpp>
#include <diag/core/value.hpp>

#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>

#include <catch2/catch.hpp>

namespace {

// Sets TZ for one test and puts the old value back, so a local-time bug cannot hide on a
// machine that happens to run in UTC.
class ScopedTimeZone {
public:
    explicit ScopedTimeZone(const char* zone) {
        if (const char* old = std::getenv("TZ")) {
            previous_ = old;
        }
        ::setenv("TZ", zone, 1);
        ::tzset();
    }
    ~ScopedTimeZone() {
        if (previous_) {
            ::setenv("TZ", previous_->c_str(), 1);
        } else {
            ::unsetenv("TZ");
        }
        ::tzset();
    }
    ScopedTimeZone(const ScopedTimeZone&) = delete;
    ScopedTimeZone& operator=(const ScopedTimeZone&) = delete;

private:
    std::optional<std::string> previous_;
};

// 2026-12-03 13:40:02.123 UTC.
const std::chrono::system_clock::time_point kInstant{std::chrono::milliseconds(1796305202123)};

}  // namespace

TEST_CASE("units: format_utc shows UTC whatever the local time zone") {
    ScopedTimeZone tokyo("JST-9");
    CHECK(diag::format_utc(kInstant) == "2026-12-03 13:40:02 UTC");
    CHECK(diag::format_utc(std::chrono::system_clock::time_point{}) == "1970-01-01 00:00:00 UTC");
}

TEST_CASE("units: format_iso8601 is UTC with milliseconds and a Z") {
    ScopedTimeZone new_york("EST5EDT");
    CHECK(diag::format_iso8601(kInstant) == "2026-12-03T13:40:02.123Z");
}

TEST_CASE("units: bytes are shown in binary multiples with one decimal") {
    CHECK(diag::format_bytes(0) == "0 B");
    CHECK(diag::format_bytes(1023) == "1023 B");
    CHECK(diag::format_bytes(1024) == "1.0 KiB");
    CHECK(diag::format_bytes(3742148ULL * 1024) == "3.6 GiB");
}

TEST_CASE("units: durations pick the two largest units") {
    using std::chrono::seconds;
    CHECK(diag::format_duration(seconds(45)) == "45s");
    CHECK(diag::format_duration(seconds(185)) == "3m 05s");
    CHECK(diag::format_duration(seconds(7800)) == "2h 10m");
    CHECK(diag::format_duration(seconds(4 * 86400 + 3 * 3600 + 59)) == "4d 03h");
}

TEST_CASE("value: display strings keep integers exact and shorten doubles") {
    CHECK(diag::to_display_string(diag::Value{std::int64_t{-1}}) == "-1");
    CHECK(diag::to_display_string(diag::Value{std::uint64_t{18446744073709551615ULL}}) ==
          "18446744073709551615");
    CHECK(diag::to_display_string(diag::Value{63.5123}) == "63.51");
    CHECK(diag::to_display_string(diag::Value{true}) == "yes");
    CHECK(diag::to_display_string(diag::Value{std::string("ext4")}) == "ext4");
}
