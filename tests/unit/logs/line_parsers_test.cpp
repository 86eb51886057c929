#include <diag/logs/format_detect.hpp>
#include <diag/logs/line_parsers.hpp>

#include <array>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

using diag::logs::LogFormat;
using diag::logs::LogLevel;

TEST_CASE("rfc3164: stamp, host, tag, pid and message are read") {
    const auto parsed = diag::logs::parse_rfc3164(
        "Jul  3 04:08:03 combo sshd(pam_unix)[19939]: authentication failure; rhost=1.2.3.4 ");
    REQUIRE(parsed);
    CHECK(parsed->civil->month == 7);
    CHECK(parsed->civil->day == 3);
    CHECK(parsed->civil->hour == 4);
    CHECK_FALSE(parsed->civil->year.has_value());
    CHECK(parsed->record.stamp == "Jul  3 04:08:03");
    CHECK(parsed->record.host == "combo");
    CHECK(parsed->record.program == "sshd(pam_unix)");
    CHECK(parsed->record.pid == 19939);
    CHECK(parsed->record.message == "authentication failure; rhost=1.2.3.4");
}

TEST_CASE("rfc3164: a PRI prefix sets the level and a kernel line its seconds since boot") {
    const auto parsed = diag::logs::parse_rfc3164(
        "<3>Jan 12 06:30:01 box kernel: [  103.456789] EXT4-fs error (device sda1): bad");
    REQUIRE(parsed);
    CHECK(parsed->record.level == LogLevel::error);
    CHECK(parsed->record.program == "kernel");
    REQUIRE(parsed->record.monotonic_seconds);
    CHECK(*parsed->record.monotonic_seconds == Approx(103.456789));
    CHECK(parsed->record.message == "EXT4-fs error (device sda1): bad");
}

TEST_CASE("rfc3164: a message without a tag keeps all its text") {
    const auto parsed =
        diag::logs::parse_rfc3164("Jun 14 15:16:01 combo last message repeated 3 times");
    REQUIRE(parsed);
    CHECK(parsed->record.program.empty());
    CHECK(parsed->record.message == "last message repeated 3 times");
}

TEST_CASE("rfc3164: near misses are not syslog lines") {
    CHECK_FALSE(diag::logs::parse_rfc3164("Foo 14 15:16:01 combo x: y"));
    CHECK_FALSE(diag::logs::parse_rfc3164("Jun 32 15:16:01 combo x: y"));
    CHECK_FALSE(diag::logs::parse_rfc3164("Jun 14 25:16:01 combo x: y"));
    CHECK_FALSE(diag::logs::parse_rfc3164("Jun 14 15:16"));
}

TEST_CASE("rfc5424: header fields, nil values, structured data and BOM") {
    const auto parsed = diag::logs::parse_rfc5424(
        "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 "
        "[exampleSDID@32473 iut=\"3\" eventSource=\"App\\]lication\"] \xEF\xBB\xBF"
        "An application event");
    REQUIRE(parsed);
    const auto& record = parsed->record;
    CHECK(record.level == LogLevel::notice);
    CHECK(record.host == "mymachine.example.com");
    CHECK(record.program == "evntslog");
    CHECK_FALSE(record.pid.has_value());
    CHECK(record.field("msgid") == "ID47");
    CHECK(record.field("structured_data") ==
          "[exampleSDID@32473 iut=\"3\" eventSource=\"App\\]lication\"]");
    CHECK(record.message == "An application event");
    REQUIRE(parsed->civil);
    CHECK(parsed->civil->microsecond == 3000);
    CHECK(parsed->civil->utc_offset_seconds == 0);
}

TEST_CASE("rfc5424: a numeric PROCID is the pid; missing version is a near miss") {
    const auto parsed =
        diag::logs::parse_rfc5424("<34>1 2024-01-02T03:04:05+01:00 host su 4711 - - 'su root'");
    REQUIRE(parsed);
    CHECK(parsed->record.pid == 4711);
    CHECK(parsed->civil->utc_offset_seconds == 3600);
    CHECK(parsed->record.level == LogLevel::critical);
    CHECK_FALSE(diag::logs::parse_rfc5424("<34>2024-01-02T03:04:05Z host su 1 - - x"));
}

TEST_CASE("rsyslog: high-precision ISO stamps keep microseconds and the offset") {
    const auto parsed = diag::logs::parse_rsyslog_iso(
        "2024-01-02T03:04:05.123456+01:00 web1 systemd[1]: Started Session 4 of user root.");
    REQUIRE(parsed);
    CHECK(parsed->civil->year == 2024);
    CHECK(parsed->civil->microsecond == 123456);
    CHECK(parsed->civil->utc_offset_seconds == 3600);
    CHECK(parsed->record.program == "systemd");
    CHECK(parsed->record.pid == 1);
    CHECK(parsed->record.message == "Started Session 4 of user root.");
    CHECK_FALSE(diag::logs::parse_rsyslog_iso("2024-01-02 03:04:05 web1 x: y"));
}

TEST_CASE("dmesg: seconds since boot and the raw level prefix") {
    const auto parsed = diag::logs::parse_dmesg("<4>[   12.345678] usb 1-1: reset high-speed");
    REQUIRE(parsed);
    CHECK(parsed->record.monotonic_seconds == Approx(12.345678));
    CHECK(parsed->record.level == LogLevel::warning);
    CHECK(parsed->record.program == "kernel");
    CHECK(parsed->record.message == "usb 1-1: reset high-speed");
    CHECK_FALSE(parsed->civil.has_value());
    CHECK_FALSE(diag::logs::parse_dmesg("[abc] nope"));
}

TEST_CASE("kmsg: priority, sequence, microseconds and caller") {
    const auto parsed = diag::logs::parse_kmsg("3,812,4567890,-,caller=T123;Out of memory");
    REQUIRE(parsed);
    CHECK(parsed->record.level == LogLevel::error);
    CHECK(parsed->record.monotonic_seconds == Approx(4.56789));
    CHECK(parsed->record.field("sequence") == "812");
    CHECK(parsed->record.field("caller") == "T123");
    CHECK(parsed->record.message == "Out of memory");
    CHECK_FALSE(diag::logs::parse_kmsg("no semicolon here"));
}

TEST_CASE("apache: 2.4 lines give module, level, pid, tid, client and AH code") {
    const auto parsed = diag::logs::parse_apache_error(
        "[Wed Oct 11 14:32:52.123456 2017] [core:error] [pid 1234:tid 5678] "
        "[client 1.2.3.4:5678] AH00037: Symbolic link not allowed: /srv/x");
    REQUIRE(parsed);
    const auto& record = parsed->record;
    CHECK(record.program == "core");
    CHECK(record.level == LogLevel::error);
    CHECK(record.pid == 1234);
    CHECK(record.tid == 5678);
    CHECK(record.field("client") == "1.2.3.4:5678");
    CHECK(record.field("code") == "AH00037");
    CHECK(record.message == "[client 1.2.3.4:5678] AH00037: Symbolic link not allowed: /srv/x");
    CHECK(parsed->civil->year == 2017);
    CHECK(parsed->civil->microsecond == 123456);
    CHECK(record.stamp == "Wed Oct 11 14:32:52.123456 2017");
}

TEST_CASE("apache: 2.2 lines and near misses") {
    const auto parsed = diag::logs::parse_apache_error(
        "[Sun Dec 04 04:47:44 2005] [error] [client 1.2.3.4] Directory index forbidden");
    REQUIRE(parsed);
    CHECK(parsed->record.program.empty());
    CHECK(parsed->record.field("client") == "1.2.3.4");
    CHECK_FALSE(diag::logs::parse_apache_error("[Sun Dec 04 04:47:44 2005] [bogus] x"));
    CHECK_FALSE(diag::logs::parse_apache_error("[Xyz Dec 04 04:47:44 2005] [error] x"));
}

TEST_CASE("nginx: pid#tid, connection and the request context") {
    const auto parsed = diag::logs::parse_nginx_error(
        "2024/01/02 03:04:05 [error] 1234#5678: *99 upstream timed out (110: Connection timed "
        "out) while reading response header from upstream, client: 10.0.0.1, server: "
        "example.com, request: \"GET /api HTTP/1.1\", upstream: "
        "\"http://127.0.0.1:8080/api\", host: \"example.com\"");
    REQUIRE(parsed);
    const auto& record = parsed->record;
    CHECK(record.level == LogLevel::error);
    CHECK(record.pid == 1234);
    CHECK(record.tid == 5678);
    CHECK(record.field("connection") == "99");
    CHECK(record.field("client") == "10.0.0.1");
    CHECK(record.field("server") == "example.com");
    CHECK(record.field("request") == "GET /api HTTP/1.1");
    CHECK(record.field("upstream") == "http://127.0.0.1:8080/api");
    CHECK(record.field("host") == "example.com");
    CHECK(record.message.starts_with("upstream timed out (110"));
    CHECK_FALSE(diag::logs::parse_nginx_error("2024-01-02 03:04:05 [error] 1#1: x"));
    CHECK_FALSE(diag::logs::parse_nginx_error("2024/01/02 03:04:05 [bogus] 1#1: x"));
}

TEST_CASE("detect: each format is recognised from its first lines") {
    CHECK(diag::logs::detect_format(
              {"Jun 14 15:16:01 combo su: x", "Jun 14 15:16:02 combo a: b"}) == LogFormat::rfc3164);
    CHECK(diag::logs::detect_format({"<13>1 2024-01-02T03:04:05Z h a - - - m"}) ==
          LogFormat::rfc5424);
    CHECK(diag::logs::detect_format({"2024-01-02T03:04:05.1+00:00 h a: m"}) ==
          LogFormat::rsyslog_iso);
    CHECK(diag::logs::detect_format({"[    0.000000] Linux version 6.1"}) == LogFormat::dmesg);
    CHECK(diag::logs::detect_format({"6,1,0,-;Linux version 6.1"}) == LogFormat::kmsg);
    CHECK(diag::logs::detect_format({"2024/01/02 03:04:05 [emerg] 1#1: bind() failed"}) ==
          LogFormat::nginx_error);
    CHECK(diag::logs::detect_format({"[Sun Dec 04 04:47:44 2005] [notice] ok"}) ==
          LogFormat::apache_error);
    CHECK(diag::logs::detect_format({"hello", "world"}) == LogFormat::plain);
    CHECK(diag::logs::detect_format({}) == LogFormat::plain);
}

TEST_CASE("parsers: every prefix of real lines and random bytes parse or fail, never crash") {
    const std::vector<std::string> lines{
        "<13>Jan  1 00:00:01 h a[1]: x",
        "<165>1 2003-10-11T22:14:15.003Z h app 1 ID [a b=\"c\\\"\"] \xEF\xBB\xBFm",
        "2024-01-02T03:04:05.123456+01:00 web1 systemd[1]: s",
        "<4>[   12.345678] usb",
        "3,812,4567890,-,caller=T123;Out",
        "[Wed Oct 11 14:32:52.123456 2017] [core:error] [pid 1:tid 2] [client 1.2.3.4:5] "
        "AH00037: x",
        "2024/01/02 03:04:05 [error] 1#2: *3 m, client: c, server: s, request: \"r",
    };
    const std::array<LogFormat, 8> formats{
        LogFormat::plain, LogFormat::rfc3164, LogFormat::rfc5424,      LogFormat::rsyslog_iso,
        LogFormat::dmesg, LogFormat::kmsg,    LogFormat::apache_error, LogFormat::nginx_error};
    std::size_t parsed = 0;
    for (const auto& line : lines) {
        for (std::size_t cut = 0; cut <= line.size(); ++cut) {
            for (const auto format : formats) {
                parsed += diag::logs::parse_line(format, line.substr(0, cut)) ? 1U : 0U;
            }
        }
    }
    // A linear congruential generator (Knuth's MMIX constants) keeps the bytes reproducible.
    std::uint64_t state = 42;
    for (int round = 0; round < 2000; ++round) {
        std::string bytes;
        const auto length = static_cast<std::size_t>(round % 120);
        for (std::size_t i = 0; i < length; ++i) {
            state = state * 6364136223846793005ULL + 1442695040888963407ULL;
            bytes += static_cast<char>(state >> 56U);
        }
        for (const auto format : formats) {
            static_cast<void>(diag::logs::parse_line(format, bytes));
        }
    }
    // Each whole line parses in its own format at least (plain takes every prefix).
    CHECK(parsed > lines.size() * 2);
}
