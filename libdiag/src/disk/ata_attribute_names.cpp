#include "diag/disk/ata_attribute_names.hpp"

#include <array>

namespace diag::disk {

namespace {

struct NameEntry {
    std::uint8_t id;
    std::string_view hdd;
    /// Empty when SSDs use the id as HDDs do.
    std::string_view ssd;
};

// Written for diag; the meanings are those of drivedb.h's DEFAULT entry and SFF-8035i.
constexpr std::array kNames{
    NameEntry{1, "read error rate (vendor scale)", ""},
    NameEntry{2, "throughput performance", ""},
    NameEntry{3, "spin-up time", ""},
    NameEntry{4, "start/stop count", ""},
    NameEntry{5, "reallocated sectors", ""},
    NameEntry{6, "read channel margin", "vendor attribute"},
    NameEntry{7, "seek error rate (vendor scale)", "vendor attribute"},
    NameEntry{8, "seek time performance", "vendor attribute"},
    NameEntry{9, "power-on time", ""},
    NameEntry{10, "spin retries", "vendor attribute"},
    NameEntry{11, "calibration retries", "vendor attribute"},
    NameEntry{12, "power cycles", ""},
    NameEntry{13, "soft read error rate", ""},
    NameEntry{22, "helium level", ""},
    NameEntry{23, "helium condition (lower)", ""},
    NameEntry{24, "helium condition (upper)", ""},
    NameEntry{170, "available reserved space", ""},
    NameEntry{171, "program failures", ""},
    NameEntry{172, "erase failures", ""},
    NameEntry{173, "wear leveling count", ""},
    NameEntry{174, "unexpected power losses", ""},
    NameEntry{175, "vendor attribute", "program failures (worst chip)"},
    NameEntry{176, "vendor attribute", "erase failures (worst chip)"},
    NameEntry{177, "vendor attribute", "wear leveling count"},
    NameEntry{178, "vendor attribute", "used reserved blocks (worst chip)"},
    NameEntry{179, "vendor attribute", "used reserved blocks (total)"},
    NameEntry{180, "vendor attribute", "unused reserved blocks (total)"},
    NameEntry{181, "program failures (total)", ""},
    NameEntry{182, "vendor attribute", "erase failures (total)"},
    NameEntry{183, "runtime bad blocks", ""},
    NameEntry{184, "end-to-end errors", ""},
    NameEntry{187, "reported uncorrectable errors", ""},
    NameEntry{188, "command timeouts", ""},
    NameEntry{189, "high fly writes", "vendor attribute"},
    NameEntry{190, "airflow temperature", ""},
    NameEntry{191, "shock sensor events", "vendor attribute"},
    NameEntry{192, "power-off retracts", ""},
    NameEntry{193, "load/unload cycles", "vendor attribute"},
    NameEntry{194, "temperature", ""},
    NameEntry{195, "ECC recovered (vendor scale)", ""},
    NameEntry{196, "reallocation events", ""},
    NameEntry{197, "current pending sectors", ""},
    NameEntry{198, "offline uncorrectable sectors", ""},
    NameEntry{199, "interface CRC errors", ""},
    NameEntry{200, "multi-zone error rate", "vendor attribute"},
    NameEntry{201, "soft read error rate", "vendor attribute"},
    NameEntry{202, "data address mark errors", "vendor attribute"},
    NameEntry{203, "run out cancels", ""},
    NameEntry{204, "soft ECC corrections", ""},
    NameEntry{205, "thermal asperity rate", ""},
    NameEntry{206, "flying height", "vendor attribute"},
    NameEntry{207, "spin high current", "vendor attribute"},
    NameEntry{208, "spin buzz", "vendor attribute"},
    NameEntry{209, "offline seek performance", "vendor attribute"},
    NameEntry{220, "disk shift", "vendor attribute"},
    NameEntry{221, "shock sensor events", "vendor attribute"},
    NameEntry{222, "loaded hours", "vendor attribute"},
    NameEntry{223, "load retries", "vendor attribute"},
    NameEntry{224, "load friction", "vendor attribute"},
    NameEntry{225, "load/unload cycles", "vendor attribute"},
    NameEntry{226, "load-in time", "vendor attribute"},
    NameEntry{227, "torque amplification count", "vendor attribute"},
    NameEntry{228, "power-off retracts", ""},
    NameEntry{230, "head amplitude", "vendor attribute"},
    NameEntry{231, "temperature", "life left"},
    NameEntry{232, "available reserved space", ""},
    NameEntry{233, "vendor attribute", "media wearout indicator"},
    NameEntry{240, "head flying hours", "vendor attribute"},
    NameEntry{241, "total LBAs written", ""},
    NameEntry{242, "total LBAs read", ""},
    NameEntry{250, "read error retry rate", ""},
    NameEntry{254, "free fall events", "vendor attribute"},
};

}  // namespace

std::string_view ata_attribute_name(std::uint8_t id, std::optional<bool> solid_state) {
    for (const auto& entry : kNames) {
        if (entry.id == id) {
            return solid_state.value_or(false) && !entry.ssd.empty() ? entry.ssd : entry.hdd;
        }
    }
    return "attribute";
}

}  // namespace diag::disk
