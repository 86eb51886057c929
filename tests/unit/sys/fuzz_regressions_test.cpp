// Inputs the fuzz targets in fuzz/ found to break a decoder, kept as tests so the fixes stay.

#include <diag/sys/key_values.hpp>

#include <catch2/catch.hpp>

TEST_CASE("meminfo: a kB value whose bytes overflow 64 bits is skipped, the rest still read") {
    const auto values = diag::sys::parse_meminfo(
        "MemTotal: 223341634359738367 kB\nMemFree: 9007199254740991 kB\nMemAvailable: 16 kB\n");
    CHECK_FALSE(values.contains("MemTotal"));
    CHECK(diag::sys::find(values, "MemFree") == std::int64_t{9007199254740991} * 1024);
    CHECK(diag::sys::find(values, "MemAvailable") == 16 * 1024);
}
