#include "diag/crash/core_file.hpp"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

namespace diag::crash {

namespace {

// ELF constants from the System V gABI and include/uapi/linux/elf.h.
constexpr std::size_t kElfHeaderBytes = 64;
constexpr std::size_t kProgramHeaderBytes = 56;
constexpr std::uint16_t kElfTypeCore = 4;
constexpr std::uint16_t kPnXnum = 0xffff;
constexpr std::uint32_t kPtLoad = 1;
constexpr std::uint32_t kPtNote = 4;
constexpr std::uint32_t kNtPrstatus = 1;
constexpr std::uint32_t kNtPrpsinfo = 3;
constexpr std::uint32_t kNtSiginfo = 0x53494749;
constexpr std::uint32_t kNtFile = 0x46494c45;
constexpr unsigned kMachineAmd64 = 62;
// struct elf_prstatus on x86-64: pr_cursig at 12, pr_pid at 32, pr_reg at 112, 27 registers.
constexpr std::size_t kPrstatusCursig = 12;
constexpr std::size_t kPrstatusPid = 32;
constexpr std::size_t kPrstatusRegs = 112;
constexpr std::size_t kAmd64RegisterCount = 27;
constexpr std::size_t kRipIndex = 16;
constexpr std::size_t kRspIndex = 19;

template <class T>
std::optional<T> load(std::span<const std::byte> bytes, std::uint64_t offset) {
    if (offset > bytes.size() || bytes.size() - offset < sizeof(T)) {
        return std::nullopt;
    }
    T value{};
    std::memcpy(&value, bytes.data() + offset, sizeof(T));
    return value;
}

std::string c_string(std::span<const std::byte> bytes, std::size_t offset, std::size_t max) {
    std::string text;
    for (std::size_t i = offset; i < bytes.size() && i < offset + max; ++i) {
        const auto c = static_cast<char>(bytes[i]);
        if (c == '\0') {
            break;
        }
        text += c;
    }
    return text;
}

// Signals whose siginfo carries si_addr (the _sigfault member).
bool has_fault_address(int signo) {
    return signo == 4 || signo == 5 || signo == 7 || signo == 8 || signo == 11;
}

SignalInfo decode_siginfo(std::span<const std::byte> desc) {
    SignalInfo info;
    info.signo = load<std::int32_t>(desc, 0).value_or(0);
    info.errno_value = load<std::int32_t>(desc, 4).value_or(0);
    info.code = load<std::int32_t>(desc, 8).value_or(0);
    if (info.code > 0 && has_fault_address(info.signo)) {
        info.fault_address = load<std::uint64_t>(desc, 16);
    } else if (info.code <= 0) {
        if (auto pid = load<std::int32_t>(desc, 16)) {
            info.sender_pid = pid;
        }
        if (auto uid = load<std::uint32_t>(desc, 20)) {
            info.sender_uid = uid;
        }
    }
    return info;
}

ThreadStatus decode_prstatus(std::span<const std::byte> desc, unsigned machine) {
    ThreadStatus thread;
    thread.current_signal = load<std::int16_t>(desc, kPrstatusCursig).value_or(0);
    thread.tid = load<std::int32_t>(desc, kPrstatusPid).value_or(0);
    if (machine == kMachineAmd64) {
        for (std::size_t i = 0; i < kAmd64RegisterCount; ++i) {
            auto value = load<std::uint64_t>(desc, kPrstatusRegs + (i * 8));
            if (!value) {
                break;
            }
            thread.registers.push_back(*value);
        }
    }
    return thread;
}

ProcessInfo decode_prpsinfo(std::span<const std::byte> desc) {
    // struct elf_prpsinfo on 64-bit Linux.
    ProcessInfo info;
    info.uid = load<std::uint32_t>(desc, 16).value_or(0);
    info.gid = load<std::uint32_t>(desc, 20).value_or(0);
    info.pid = load<std::int32_t>(desc, 24).value_or(0);
    info.ppid = load<std::int32_t>(desc, 28).value_or(0);
    info.name = c_string(desc, 40, 16);
    info.arguments = c_string(desc, 56, 80);
    while (!info.arguments.empty() && info.arguments.back() == ' ') {
        info.arguments.pop_back();
    }
    return info;
}

std::vector<MappedFile> decode_file_note(std::span<const std::byte> desc,
                                         std::vector<std::string>& problems) {
    std::vector<MappedFile> files;
    const auto count = load<std::uint64_t>(desc, 0);
    if (!count || *count > desc.size() / 24) {
        problems.emplace_back("NT_FILE: count does not fit the note");
        return files;
    }
    std::size_t names = 16 + (*count * 24);
    for (std::uint64_t i = 0; i < *count; ++i) {
        MappedFile file;
        file.start = load<std::uint64_t>(desc, 16 + (i * 24)).value_or(0);
        file.end = load<std::uint64_t>(desc, 24 + (i * 24)).value_or(0);
        file.file_offset_pages = load<std::uint64_t>(desc, 32 + (i * 24)).value_or(0);
        file.path = c_string(desc, names, desc.size());
        names += file.path.size() + 1;
        files.push_back(std::move(file));
    }
    return files;
}

// Note names and descriptors are padded to 4 bytes (gABI, "Note Section").
std::size_t align4(std::size_t n) {
    return (n + 3) & ~std::size_t{3};
}

void parse_notes(std::span<const std::byte> notes, CoreLayout& layout) {
    std::size_t offset = 0;
    while (offset + 12 <= notes.size()) {
        const auto name_bytes = load<std::uint32_t>(notes, offset).value_or(0);
        const auto desc_bytes = load<std::uint32_t>(notes, offset + 4).value_or(0);
        const auto type = load<std::uint32_t>(notes, offset + 8).value_or(0);
        const std::size_t desc_offset = offset + 12 + align4(name_bytes);
        if (desc_offset > notes.size() || notes.size() - desc_offset < desc_bytes) {
            layout.problems.push_back(fmt::format("note at {} runs past its segment", offset));
            return;
        }
        const auto name = c_string(notes, offset + 12, name_bytes);
        const auto desc = notes.subspan(desc_offset, desc_bytes);
        if (name == "CORE") {
            if (type == kNtPrstatus) {
                layout.threads.push_back(decode_prstatus(desc, layout.machine));
            } else if (type == kNtPrpsinfo) {
                layout.process = decode_prpsinfo(desc);
            } else if (type == kNtSiginfo) {
                layout.signal = decode_siginfo(desc);
            } else if (type == kNtFile) {
                layout.files = decode_file_note(desc, layout.problems);
            }
        }
        offset = desc_offset + align4(desc_bytes);
    }
}

}  // namespace

std::optional<std::uint64_t> ThreadStatus::pc() const {
    if (registers.size() <= kRipIndex) {
        return std::nullopt;
    }
    return registers[kRipIndex];
}

std::optional<std::uint64_t> ThreadStatus::sp() const {
    if (registers.size() <= kRspIndex) {
        return std::nullopt;
    }
    return registers[kRspIndex];
}

CoreLayout parse_core(std::span<const std::byte> bytes) {
    CoreLayout layout;
    layout.actual_file_bytes = bytes.size();
    if (bytes.size() < kElfHeaderBytes || std::memcmp(bytes.data(),
                                                      "\x7f"
                                                      "ELF",
                                                      4) != 0) {
        layout.problems.emplace_back("not an ELF file");
        return layout;
    }
    if (bytes[4] != std::byte{2} || bytes[5] != std::byte{1}) {
        layout.problems.emplace_back("not a 64-bit little-endian ELF file");
        return layout;
    }
    if (load<std::uint16_t>(bytes, 16) != kElfTypeCore) {
        layout.problems.emplace_back("ELF file is not a core (e_type is not ET_CORE)");
        return layout;
    }
    layout.machine = load<std::uint16_t>(bytes, 18).value_or(0);
    const auto phoff = load<std::uint64_t>(bytes, 32).value_or(0);
    const auto shoff = load<std::uint64_t>(bytes, 40).value_or(0);
    std::uint64_t phnum = load<std::uint16_t>(bytes, 56).value_or(0);
    if (phnum == kPnXnum) {
        // More than 65534 segments: the count is in section header 0's sh_info (gABI).
        phnum = load<std::uint32_t>(bytes, shoff + 44).value_or(0);
    }
    layout.expected_file_bytes = phoff + (phnum * kProgramHeaderBytes);
    std::vector<std::pair<std::uint64_t, std::uint64_t>> note_ranges;
    for (std::uint64_t i = 0; i < phnum; ++i) {
        const auto at = phoff + (i * kProgramHeaderBytes);
        const auto type = load<std::uint32_t>(bytes, at);
        if (!type) {
            layout.problems.push_back(fmt::format("program header {} of {} is cut off", i, phnum));
            break;
        }
        const auto flags = load<std::uint32_t>(bytes, at + 4).value_or(0);
        CoreSegment segment;
        segment.file_offset = load<std::uint64_t>(bytes, at + 8).value_or(0);
        segment.vaddr = load<std::uint64_t>(bytes, at + 16).value_or(0);
        segment.file_bytes = load<std::uint64_t>(bytes, at + 32).value_or(0);
        segment.memory_bytes = load<std::uint64_t>(bytes, at + 40).value_or(0);
        layout.expected_file_bytes =
            std::max(layout.expected_file_bytes, segment.file_offset + segment.file_bytes);
        if (*type == kPtNote) {
            note_ranges.emplace_back(segment.file_offset, segment.file_bytes);
        } else if (*type == kPtLoad) {
            segment.executable = (flags & 1U) != 0;
            segment.writable = (flags & 2U) != 0;
            segment.readable = (flags & 4U) != 0;
            layout.segments.push_back(segment);
        }
    }
    for (const auto& [offset, size] : note_ranges) {
        if (offset >= bytes.size()) {
            layout.problems.emplace_back("the note segment is beyond the end of the file");
            continue;
        }
        parse_notes(bytes.subspan(offset, std::min<std::uint64_t>(size, bytes.size() - offset)),
                    layout);
    }
    if (layout.truncated()) {
        layout.problems.push_back(fmt::format("core is truncated: {} of {} bytes",
                                              layout.actual_file_bytes,
                                              layout.expected_file_bytes));
    }
    return layout;
}

const CoreSegment* segment_at(const CoreLayout& layout, std::uint64_t vaddr) {
    for (const auto& segment : layout.segments) {
        if (vaddr >= segment.vaddr && vaddr - segment.vaddr < segment.memory_bytes) {
            return &segment;
        }
    }
    return nullptr;
}

std::optional<std::vector<std::byte>> read_core_memory(const CoreLayout& layout,
                                                       std::span<const std::byte> bytes,
                                                       std::uint64_t vaddr, std::size_t size) {
    const auto* segment = segment_at(layout, vaddr);
    if (segment == nullptr) {
        return std::nullopt;
    }
    const auto inside = vaddr - segment->vaddr;
    if (inside + size > segment->file_bytes) {
        return std::nullopt;
    }
    const auto offset = segment->file_offset + inside;
    if (offset > bytes.size() || bytes.size() - offset < size) {
        return std::nullopt;
    }
    const auto part = bytes.subspan(offset, size);
    return std::vector<std::byte>(part.begin(), part.end());
}

std::optional<std::string> read_abort_message(const CoreLayout& layout,
                                              std::span<const std::byte> bytes,
                                              std::uint64_t abort_msg_variable) {
    constexpr std::size_t kMaxMessageBytes = 4096;
    const auto pointer_bytes = read_core_memory(layout, bytes, abort_msg_variable, 8);
    if (!pointer_bytes) {
        return std::nullopt;
    }
    const auto pointer = load<std::uint64_t>(*pointer_bytes, 0).value_or(0);
    if (pointer == 0) {
        return std::nullopt;
    }
    const auto size_bytes = read_core_memory(layout, bytes, pointer, 4);
    if (!size_bytes) {
        return std::nullopt;
    }
    // size is the whole mmap'd block, header included; read what the segment holds of it.
    const auto block =
        std::min<std::size_t>(load<std::uint32_t>(*size_bytes, 0).value_or(0), kMaxMessageBytes);
    for (std::size_t length = block; length > 4; length /= 2) {
        if (auto text = read_core_memory(layout, bytes, pointer + 4, length - 4)) {
            auto message = c_string(*text, 0, text->size());
            while (!message.empty() && message.back() == '\n') {
                message.pop_back();
            }
            return message.empty() ? std::nullopt : std::optional(message);
        }
    }
    return std::nullopt;
}

}  // namespace diag::crash
