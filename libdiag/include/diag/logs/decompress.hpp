#pragma once

#include <expected>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace diag::logs {

/// How a rotated log file is compressed.
enum class Compression { none, gzip, xz, zstd, lz4 };

/// "none", "gzip", "xz", "zstd", "lz4".
std::string_view to_string(Compression compression);

/// The compression named by a file's first bytes (gzip: RFC 1952 section 2.3.1; xz: the .xz
/// file format 1.1.0 section 2.1.1.1; zstd: RFC 8878 section 3.1.1; lz4: the LZ4 frame format
/// 1.6.x magic number, as systemd-coredump's Compress=lz4 writes); none otherwise.
Compression detect_compression(std::string_view first_bytes);

/// A streaming decompressor: compressed bytes in, decompressed bytes out in pieces, in bounded
/// memory whatever the ratio. Concatenated members (gzip, xz) and frames (zstd, lz4) are read on.
class Decompressor {
public:
    using Output = std::function<void(std::string_view)>;

    /// A decompressor for the given kind; for none it copies its input.
    static std::unique_ptr<Decompressor> create(Compression compression);

    virtual ~Decompressor() = default;
    Decompressor() = default;
    Decompressor(const Decompressor&) = delete;
    Decompressor& operator=(const Decompressor&) = delete;
    Decompressor(Decompressor&&) = delete;
    Decompressor& operator=(Decompressor&&) = delete;

    /// Feeds the next compressed bytes. The error names the library's reason (corrupt data);
    /// what was decompressed before it has been given to out.
    virtual std::expected<void, std::string> feed(std::string_view input, const Output& out) = 0;

    /// After the last input: fails when the stream was cut short.
    virtual std::expected<void, std::string> finish() = 0;
};

}  // namespace diag::logs
