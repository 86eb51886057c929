// Fuzzes decode_sense (SPC-5 4.4, SAT-3 12.2.2.6-7) and finish_ata_result. Invariants: the
// sense key has 4 bits; only descriptor format or fixed format with 00h/1Dh yields ATA
// registers; a result with ERR in the ATA status is never a success.

#include "fuzz_disk.hpp"

#include <diag/disk/command_result.hpp>
#include <diag/disk/scsi_sense.hpp>

using diag::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto sense = diag::disk::decode_sense(diag::fuzz::as_page(data, size));
    if (sense) {
        require(sense->key <= 0x0F, "the sense key has 4 bits");
        const bool descriptor = sense->response_code == 0x72 || sense->response_code == 0x73;
        require(!sense->ata || descriptor || (sense->asc == 0 && sense->ascq == 0x1D),
                "ATA registers only where SAT puts them");
        (void)diag::disk::describe(*sense);
    }
    diag::disk::CommandResult result;
    result.sense.assign(data, data + size);
    diag::disk::finish_ata_result(result);
    require(!(result.ok() && result.ata && result.ata->failed()), "ERR is never a success");
    require(result.ok() || !result.reason.empty(), "a failure says why");
    (void)diag::disk::is_not_supported(result);
    return 0;
}
