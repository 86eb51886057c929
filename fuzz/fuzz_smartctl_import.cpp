// Fuzzes import_smartctl_json (smartctl --json output, versions 6.x to 7.5). Invariants: it
// never throws; input that does not parse as JSON gives no disk and an issue; a disk's
// subject is never empty; attribute ids are not 0 and a disk's issues name it.

#include "fuzz_check.hpp"

#include <diag/disk/smartctl_import.hpp>

#include <nlohmann/json.hpp>

using diag::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto text = diag::fuzz::as_text(data, size);
    const auto imported = diag::disk::import_smartctl_json(text, "fuzz");
    if (!nlohmann::json::accept(text)) {
        require(!imported.disk.has_value(), "no disk from text that is not JSON");
        require(!imported.issues.empty(), "text that is not JSON is an issue");
    }
    if (imported.disk) {
        const auto subject = imported.disk->subject();
        require(!subject.empty(), "a disk has a subject");
        if (imported.disk->ata && imported.disk->ata->smart) {
            for (const auto& attribute : imported.disk->ata->smart->attributes) {
                require(attribute.id != 0, "no attribute 0");
            }
        }
    }
    return 0;
}
