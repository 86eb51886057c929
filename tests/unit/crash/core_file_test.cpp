#include <diag/crash/core_file.hpp>

#include <cstring>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

using namespace diag::crash;

namespace {

// Builds a small ELF64 x86-64 core the way fs/binfmt_elf.c lays one out: the ELF header,
// program headers, one PT_NOTE segment, then PT_LOAD segments.
class CoreBuilder {
public:
    void add_note(std::uint32_t type, const std::vector<std::byte>& desc) {
        std::vector<std::byte> note;
        put32(note, 5);
        put32(note, static_cast<std::uint32_t>(desc.size()));
        put32(note, type);
        for (const char c : std::string("CORE\0\0\0\0", 8)) {
            note.push_back(static_cast<std::byte>(c));
        }
        note.insert(note.end(), desc.begin(), desc.end());
        while (note.size() % 4 != 0) {
            note.push_back(std::byte{0});
        }
        notes_.insert(notes_.end(), note.begin(), note.end());
    }
    void add_load(std::uint64_t vaddr, std::vector<std::byte> content, std::uint32_t flags) {
        loads_.push_back({vaddr, std::move(content), flags});
    }
    [[nodiscard]] std::vector<std::byte> build() const {
        const std::size_t phnum = 1 + loads_.size();
        std::vector<std::byte> out(64, std::byte{0});
        std::memcpy(out.data(),
                    "\x7f"
                    "ELF\x02\x01\x01",
                    7);
        set16(out, 16, 4);
        set16(out, 18, 62);
        set64(out, 32, 64);
        set16(out, 54, 56);
        set16(out, 56, static_cast<std::uint16_t>(phnum));
        std::uint64_t offset = 64 + (phnum * 56);
        std::vector<std::byte> headers;
        append_phdr(headers, 4, 0, offset, 0, notes_.size());
        offset += notes_.size();
        for (const auto& load : loads_) {
            append_phdr(headers, 1, load.flags, offset, load.vaddr, load.content.size());
            offset += load.content.size();
        }
        out.insert(out.end(), headers.begin(), headers.end());
        out.insert(out.end(), notes_.begin(), notes_.end());
        for (const auto& load : loads_) {
            out.insert(out.end(), load.content.begin(), load.content.end());
        }
        return out;
    }
    static void put32(std::vector<std::byte>& out, std::uint32_t value) {
        for (int i = 0; i < 4; ++i) {
            out.push_back(static_cast<std::byte>((value >> (8 * i)) & 0xffU));
        }
    }
    static void set16(std::vector<std::byte>& out, std::size_t at, std::uint16_t value) {
        std::memcpy(out.data() + at, &value, 2);
    }
    static void set64(std::vector<std::byte>& out, std::size_t at, std::uint64_t value) {
        std::memcpy(out.data() + at, &value, 8);
    }

private:
    struct Load {
        std::uint64_t vaddr;
        std::vector<std::byte> content;
        std::uint32_t flags;
    };
    static void append_phdr(std::vector<std::byte>& out, std::uint32_t type, std::uint32_t flags,
                            std::uint64_t offset, std::uint64_t vaddr, std::uint64_t size) {
        std::vector<std::byte> phdr(56, std::byte{0});
        std::memcpy(phdr.data(), &type, 4);
        std::memcpy(phdr.data() + 4, &flags, 4);
        set64(phdr, 8, offset);
        set64(phdr, 16, vaddr);
        set64(phdr, 32, size);
        set64(phdr, 40, size);
        out.insert(out.end(), phdr.begin(), phdr.end());
    }
    std::vector<std::byte> notes_;
    std::vector<Load> loads_;
};

std::vector<std::byte> siginfo(int signo, int code, std::uint64_t address) {
    std::vector<std::byte> desc(128, std::byte{0});
    std::memcpy(desc.data(), &signo, 4);
    std::memcpy(desc.data() + 8, &code, 4);
    std::memcpy(desc.data() + 16, &address, 8);
    return desc;
}

std::vector<std::byte> prstatus(int tid, short cursig, std::uint64_t rip, std::uint64_t rsp) {
    std::vector<std::byte> desc(336, std::byte{0});
    std::memcpy(desc.data() + 12, &cursig, 2);
    std::memcpy(desc.data() + 32, &tid, 4);
    std::memcpy(desc.data() + 112 + (16 * 8), &rip, 8);
    std::memcpy(desc.data() + 112 + (19 * 8), &rsp, 8);
    return desc;
}

std::vector<std::byte> prpsinfo(int pid, unsigned uid, const char* name) {
    std::vector<std::byte> desc(136, std::byte{0});
    std::memcpy(desc.data() + 16, &uid, 4);
    std::memcpy(desc.data() + 24, &pid, 4);
    std::memcpy(desc.data() + 40, name, std::strlen(name));
    std::memcpy(desc.data() + 56, "server --port 80", 16);
    return desc;
}

CoreBuilder typical_core() {
    CoreBuilder core;
    core.add_note(1, prstatus(100, 11, 0x401000, 0x7ffd0000));
    core.add_note(0x53494749, siginfo(11, 1, 0x10));
    core.add_note(3, prpsinfo(100, 1000, "server"));
    core.add_note(1, prstatus(101, 0, 0x402000, 0x7ffe0000));
    core.add_load(0x400000, std::vector<std::byte>(0x2000, std::byte{0x90}), 5);
    return core;
}

}  // namespace

TEST_CASE("core file: the notes give the signal, the threads and the process") {
    const auto bytes = typical_core().build();
    const auto layout = parse_core(bytes);
    CHECK(layout.problems.empty());
    CHECK(layout.machine == 62);
    REQUIRE(layout.signal.has_value());
    CHECK(layout.signal->signo == 11);
    CHECK(layout.signal->code == 1);
    CHECK(layout.signal->fault_address == 0x10);
    REQUIRE(layout.threads.size() == 2);
    CHECK(layout.threads[0].tid == 100);
    CHECK(layout.threads[0].current_signal == 11);
    CHECK(layout.threads[0].pc() == 0x401000);
    CHECK(layout.threads[0].sp() == 0x7ffd0000);
    CHECK(layout.threads[1].current_signal == 0);
    REQUIRE(layout.process.has_value());
    CHECK(layout.process->pid == 100);
    CHECK(layout.process->uid == 1000);
    CHECK(layout.process->name == "server");
    CHECK(layout.process->arguments == "server --port 80");
    REQUIRE(layout.segments.size() == 1);
    CHECK(layout.segments[0].executable);
    CHECK_FALSE(layout.segments[0].writable);
    CHECK_FALSE(layout.truncated());
}

TEST_CASE("core file: a signal sent by a process carries the sender, not an address") {
    CoreBuilder core;
    std::vector<std::byte> desc(128, std::byte{0});
    const int signo = 6;
    const int code = -6;
    const int pid = 77;
    const unsigned uid = 0;
    std::memcpy(desc.data(), &signo, 4);
    std::memcpy(desc.data() + 8, &code, 4);
    std::memcpy(desc.data() + 16, &pid, 4);
    std::memcpy(desc.data() + 20, &uid, 4);
    core.add_note(0x53494749, desc);
    const auto bytes = core.build();
    const auto layout = parse_core(bytes);
    REQUIRE(layout.signal.has_value());
    CHECK_FALSE(layout.signal->fault_address.has_value());
    CHECK(layout.signal->sender_pid == 77);
}

TEST_CASE("core file: a truncated core keeps its notes and says it is truncated") {
    auto bytes = typical_core().build();
    bytes.resize(bytes.size() - 0x1800);
    const auto layout = parse_core(bytes);
    CHECK(layout.truncated());
    CHECK(layout.expected_file_bytes == layout.actual_file_bytes + 0x1800);
    REQUIRE_FALSE(layout.problems.empty());
    CHECK(layout.problems.back().find("truncated") != std::string::npos);
    CHECK(layout.signal.has_value());
    CHECK(layout.threads.size() == 2);
    CHECK(read_core_memory(layout, bytes, 0x400000, 16).has_value());
    CHECK_FALSE(read_core_memory(layout, bytes, 0x401ff0, 16).has_value());
}

TEST_CASE("core file: every prefix of a core parses without a crash") {
    const auto bytes = typical_core().build();
    std::size_t with_problems = 0;
    for (std::size_t size = 0; size <= bytes.size(); size += 7) {
        const auto layout = parse_core(std::span(bytes).first(size));
        with_problems += layout.problems.empty() ? 0U : 1U;
    }
    CHECK(with_problems > 0);
}

TEST_CASE("core file: something that is not a core is refused with a reason") {
    const std::string text =
        "hello, this is not an ELF file at all, not even close....................";
    const auto layout = parse_core(std::as_bytes(std::span(text)));
    REQUIRE(layout.problems.size() == 1);
    CHECK(layout.problems.front() == "not an ELF file");
}

TEST_CASE("core file: glibc's abort message is read through the __abort_msg pointer") {
    CoreBuilder core;
    core.add_note(0x53494749, siginfo(6, -6, 0));
    // 0x600000: the __abort_msg variable, pointing at 0x700000.
    std::vector<std::byte> data(16, std::byte{0});
    const std::uint64_t pointer = 0x700000;
    std::memcpy(data.data(), &pointer, 8);
    core.add_load(0x600000, data, 6);
    const std::string message = "prog: main.c:12: main: Assertion `x' failed.\n";
    std::vector<std::byte> block(4 + message.size() + 1, std::byte{0});
    const auto size = static_cast<std::uint32_t>(block.size());
    std::memcpy(block.data(), &size, 4);
    std::memcpy(block.data() + 4, message.data(), message.size());
    core.add_load(0x700000, block, 6);
    const auto bytes = core.build();
    const auto layout = parse_core(bytes);
    CHECK(read_abort_message(layout, bytes, 0x600000) ==
          "prog: main.c:12: main: Assertion `x' failed.");
    CHECK_FALSE(read_abort_message(layout, bytes, 0x600008).has_value());
}
