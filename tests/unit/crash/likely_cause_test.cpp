#include <diag/crash/likely_cause.hpp>

#include <catch2/catch.hpp>

using namespace diag::crash;

namespace {
CrashEvidence segv(std::uint64_t address, int code = 1) {
    CrashEvidence evidence;
    evidence.signo = 11;
    evidence.code = code;
    evidence.fault_address = address;
    evidence.pc = 0x5555'5555'1000;
    evidence.sp = 0x7ffc'0000'8000;
    evidence.pc_executable = true;
    evidence.fault_unmapped = true;
    return evidence;
}
}  // namespace

TEST_CASE("likely cause: a fault in the first page is a NULL dereference") {
    CHECK(likely_cause(segv(0)).kind == CauseKind::null_dereference);
    const auto member = likely_cause(segv(0x18));
    CHECK(member.kind == CauseKind::null_dereference);
    CHECK(member.summary.find("0x18") != std::string::npos);
    CHECK(likely_cause(segv(kNullPageLimitBytes)).kind == CauseKind::bad_address);
}

TEST_CASE("likely cause: a fault next to the stack pointer is a stack overflow") {
    auto below = segv(0x7ffc'0000'8000 - 8);
    CHECK(likely_cause(below).kind == CauseKind::stack_overflow);
    auto above = segv(0x7ffc'0000'8000 + 0x100);
    CHECK(likely_cause(above).kind == CauseKind::stack_overflow);
    auto far = segv(0x7ffc'0000'8000 - (2 * kStackFaultReachBytes));
    CHECK(likely_cause(far).kind == CauseKind::bad_address);
}

TEST_CASE("likely cause: jumping to a non-executable address is named") {
    auto evidence = segv(0x7f00'1234'0000, 2);
    evidence.pc = 0x7f00'1234'0000;
    evidence.pc_executable = false;
    evidence.fault_unmapped = false;
    CHECK(likely_cause(evidence).kind == CauseKind::execute_non_executable);
}

TEST_CASE("likely cause: a write to a mapped read-only page is an access error") {
    auto evidence = segv(0x5555'5555'9000, 2);
    evidence.fault_unmapped = false;
    CHECK(likely_cause(evidence).kind == CauseKind::write_to_read_only);
}

TEST_CASE("likely cause: glibc's abort message becomes the cause line") {
    CrashEvidence evidence;
    evidence.signo = 6;
    evidence.code = -6;
    evidence.abort_message = "free(): double free detected in tcache 2";
    const auto cause = likely_cause(evidence);
    CHECK(cause.kind == CauseKind::abort_with_message);
    CHECK(cause.summary == "abort: free(): double free detected in tcache 2");
    evidence.abort_message.reset();
    CHECK(likely_cause(evidence).kind == CauseKind::abort);
}

TEST_CASE("likely cause: FPE kinds follow si_code") {
    CrashEvidence evidence;
    evidence.signo = 8;
    evidence.code = 1;
    CHECK(likely_cause(evidence).kind == CauseKind::integer_divide_by_zero);
    evidence.code = 2;
    CHECK(likely_cause(evidence).kind == CauseKind::integer_overflow);
    evidence.code = 3;
    const auto flt = likely_cause(evidence);
    CHECK(flt.kind == CauseKind::float_error);
    CHECK(flt.summary.find("FPE_FLTDIV") != std::string::npos);
}

TEST_CASE("likely cause: bus errors, illegal instructions and plain kills are told apart") {
    CrashEvidence bus;
    bus.signo = 7;
    bus.code = 2;
    bus.fault_address = 0x7f00'0000'0000;
    const auto bus_cause = likely_cause(bus);
    CHECK(bus_cause.kind == CauseKind::bus_error);
    CHECK(bus_cause.summary.find("mapped file") != std::string::npos);
    CrashEvidence ill;
    ill.signo = 4;
    ill.code = 2;
    ill.pc = 0x401000;
    CHECK(likely_cause(ill).kind == CauseKind::illegal_instruction);
    CrashEvidence quit;
    quit.signo = 3;
    CHECK(likely_cause(quit).kind == CauseKind::killed_by_signal);
    CHECK(likely_cause(CrashEvidence{}).kind == CauseKind::unknown);
}
