#include <diag/crash/signal_names.hpp>

#include <catch2/catch.hpp>

using namespace diag::crash;

TEST_CASE("signal names: the fatal signals have their Linux numbers") {
    CHECK(signal_name(11) == "SIGSEGV");
    CHECK(signal_name(6) == "SIGABRT");
    CHECK(signal_name(8) == "SIGFPE");
    CHECK(signal_name(7) == "SIGBUS");
    CHECK_FALSE(signal_name(0).has_value());
    CHECK_FALSE(signal_name(64).has_value());
}

TEST_CASE("signal names: si_code names depend on the signal") {
    CHECK(si_code_name(11, 1) == "SEGV_MAPERR");
    CHECK(si_code_name(11, 2) == "SEGV_ACCERR");
    CHECK(si_code_name(8, 1) == "FPE_INTDIV");
    CHECK(si_code_name(7, 2) == "BUS_ADRERR");
    CHECK(si_code_name(4, 2) == "ILL_ILLOPN");
    CHECK(si_code_name(6, -6) == "SI_TKILL");
    CHECK(si_code_name(11, 0x80) == "SI_KERNEL");
    CHECK_FALSE(si_code_name(11, 99).has_value());
}

TEST_CASE("signal names: only core-dumping signals are said to dump core") {
    CHECK(dumps_core(11));
    CHECK(dumps_core(6));
    CHECK_FALSE(dumps_core(15));
    CHECK_FALSE(dumps_core(9));
}
