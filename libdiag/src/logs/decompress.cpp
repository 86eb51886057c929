#include "diag/logs/decompress.hpp"

#include <array>
#include <cstdint>

#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include <lz4frame.h>

namespace diag::logs {

namespace {

constexpr std::size_t kOutputChunk = std::size_t{256} << 10U;

class CopyDecompressor final : public Decompressor {
public:
    std::expected<void, std::string> feed(std::string_view input, const Output& out) override {
        if (!input.empty()) {
            out(input);
        }
        return {};
    }
    std::expected<void, std::string> finish() override { return {}; }
};

class GzipDecompressor final : public Decompressor {
public:
    GzipDecompressor() {
        // 16 + MAX_WBITS: expect a gzip wrapper (zlib manual, inflateInit2).
        ok_ = inflateInit2(&stream_, 16 + MAX_WBITS) == Z_OK;
    }
    ~GzipDecompressor() override { inflateEnd(&stream_); }
    GzipDecompressor(const GzipDecompressor&) = delete;
    GzipDecompressor& operator=(const GzipDecompressor&) = delete;
    GzipDecompressor(GzipDecompressor&&) = delete;
    GzipDecompressor& operator=(GzipDecompressor&&) = delete;

    std::expected<void, std::string> feed(std::string_view input, const Output& out) override {
        if (!ok_) {
            return std::unexpected("zlib: inflateInit2 failed");
        }
        // zlib's API takes a non-const pointer but does not write through next_in.
        stream_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
        stream_.avail_in = static_cast<uInt>(input.size());
        bool output_full = false;
        while (stream_.avail_in > 0 || output_full) {
            if (ended_) {
                if (stream_.avail_in == 0) {
                    break;
                }
                // Another gzip member follows (RFC 1952 section 2.2: a file is a series).
                if (inflateReset(&stream_) != Z_OK) {
                    return std::unexpected("zlib: inflateReset failed");
                }
                ended_ = false;
            }
            stream_.next_out = reinterpret_cast<Bytef*>(buffer_.data());
            stream_.avail_out = static_cast<uInt>(buffer_.size());
            const int result = inflate(&stream_, Z_NO_FLUSH);
            const std::size_t produced = buffer_.size() - stream_.avail_out;
            output_full = stream_.avail_out == 0;
            if (produced > 0) {
                out(std::string_view(buffer_.data(), produced));
            }
            if (result == Z_STREAM_END) {
                ended_ = true;
            } else if (result == Z_BUF_ERROR) {
                // No progress possible: all input taken and no output pending.
                break;
            } else if (result != Z_OK) {
                return std::unexpected(std::string("zlib: ") +
                                       (stream_.msg != nullptr ? stream_.msg : "corrupt data"));
            }
        }
        return {};
    }

    std::expected<void, std::string> finish() override {
        if (!ended_) {
            return std::unexpected("gzip: stream cut short");
        }
        return {};
    }

private:
    z_stream stream_{};
    bool ok_ = false;
    bool ended_ = false;
    std::array<char, kOutputChunk> buffer_{};
};

class XzDecompressor final : public Decompressor {
public:
    XzDecompressor() {
        ok_ = lzma_stream_decoder(&stream_, UINT64_MAX, LZMA_CONCATENATED) == LZMA_OK;
    }
    ~XzDecompressor() override { lzma_end(&stream_); }
    XzDecompressor(const XzDecompressor&) = delete;
    XzDecompressor& operator=(const XzDecompressor&) = delete;
    XzDecompressor(XzDecompressor&&) = delete;
    XzDecompressor& operator=(XzDecompressor&&) = delete;

    std::expected<void, std::string> feed(std::string_view input, const Output& out) override {
        return run(input, LZMA_RUN, out);
    }

    std::expected<void, std::string> finish() override {
        auto result = run({}, LZMA_FINISH, [](std::string_view) {});
        if (result && !ended_) {
            return std::unexpected("xz: stream cut short");
        }
        return result;
    }

private:
    std::expected<void, std::string> run(std::string_view input, lzma_action action,
                                         const Output& out) {
        if (!ok_) {
            return std::unexpected("liblzma: lzma_stream_decoder failed");
        }
        stream_.next_in = reinterpret_cast<const std::uint8_t*>(input.data());
        stream_.avail_in = input.size();
        while (true) {
            stream_.next_out = reinterpret_cast<std::uint8_t*>(buffer_.data());
            stream_.avail_out = buffer_.size();
            const lzma_ret result = lzma_code(&stream_, action);
            const std::size_t produced = buffer_.size() - stream_.avail_out;
            if (produced > 0) {
                out(std::string_view(buffer_.data(), produced));
            }
            if (result == LZMA_STREAM_END) {
                ended_ = true;
                return {};
            }
            if (result == LZMA_BUF_ERROR && action == LZMA_FINISH) {
                return std::unexpected("xz: stream cut short");
            }
            if (result != LZMA_OK) {
                return std::unexpected("xz: corrupt data (liblzma error " +
                                       std::to_string(static_cast<int>(result)) + ")");
            }
            if (stream_.avail_in == 0 && stream_.avail_out != 0) {
                return {};
            }
        }
    }

    lzma_stream stream_ = LZMA_STREAM_INIT;
    bool ok_ = false;
    bool ended_ = false;
    std::array<char, kOutputChunk> buffer_{};
};

class ZstdDecompressor final : public Decompressor {
public:
    ZstdDecompressor() : stream_(ZSTD_createDStream()) {}
    ~ZstdDecompressor() override { ZSTD_freeDStream(stream_); }
    ZstdDecompressor(const ZstdDecompressor&) = delete;
    ZstdDecompressor& operator=(const ZstdDecompressor&) = delete;
    ZstdDecompressor(ZstdDecompressor&&) = delete;
    ZstdDecompressor& operator=(ZstdDecompressor&&) = delete;

    std::expected<void, std::string> feed(std::string_view input, const Output& out) override {
        if (stream_ == nullptr) {
            return std::unexpected("zstd: ZSTD_createDStream failed");
        }
        ZSTD_inBuffer in{input.data(), input.size(), 0};
        while (in.pos < in.size) {
            ZSTD_outBuffer output{buffer_.data(), buffer_.size(), 0};
            const std::size_t hint = ZSTD_decompressStream(stream_, &output, &in);
            if (ZSTD_isError(hint) != 0U) {
                return std::unexpected(std::string("zstd: ") + ZSTD_getErrorName(hint));
            }
            if (output.pos > 0) {
                out(std::string_view(buffer_.data(), output.pos));
            }
            frame_done_ = hint == 0;
            // The decoder may hold more output than fits: drain it before taking more input.
            while (output.pos == output.size) {
                output = {buffer_.data(), buffer_.size(), 0};
                const std::size_t more = ZSTD_decompressStream(stream_, &output, &in);
                if (ZSTD_isError(more) != 0U) {
                    return std::unexpected(std::string("zstd: ") + ZSTD_getErrorName(more));
                }
                if (output.pos > 0) {
                    out(std::string_view(buffer_.data(), output.pos));
                }
                frame_done_ = more == 0;
            }
        }
        return {};
    }

    std::expected<void, std::string> finish() override {
        if (!frame_done_) {
            return std::unexpected("zstd: stream cut short");
        }
        return {};
    }

private:
    ZSTD_DStream* stream_;
    bool frame_done_ = false;
    std::array<char, kOutputChunk> buffer_{};
};

class Lz4Decompressor final : public Decompressor {
public:
    Lz4Decompressor() {
        if (LZ4F_isError(LZ4F_createDecompressionContext(&context_, LZ4F_VERSION)) != 0U) {
            context_ = nullptr;
        }
    }
    ~Lz4Decompressor() override { LZ4F_freeDecompressionContext(context_); }
    Lz4Decompressor(const Lz4Decompressor&) = delete;
    Lz4Decompressor& operator=(const Lz4Decompressor&) = delete;
    Lz4Decompressor(Lz4Decompressor&&) = delete;
    Lz4Decompressor& operator=(Lz4Decompressor&&) = delete;

    std::expected<void, std::string> feed(std::string_view input, const Output& out) override {
        if (context_ == nullptr) {
            return std::unexpected("lz4: LZ4F_createDecompressionContext failed");
        }
        // LZ4F_decompress takes what input it can and fills the buffer; called until the input
        // is used up and the buffer is no longer filled, so nothing stays held inside.
        const char* next = input.data();
        std::size_t left = input.size();
        while (true) {
            std::size_t taken = left;
            std::size_t made = buffer_.size();
            const std::size_t hint =
                LZ4F_decompress(context_, buffer_.data(), &made, next, &taken, nullptr);
            if (LZ4F_isError(hint) != 0U) {
                return std::unexpected(std::string("lz4: ") + LZ4F_getErrorName(hint));
            }
            next += taken;
            left -= taken;
            if (made > 0) {
                out(std::string_view(buffer_.data(), made));
            }
            frame_done_ = hint == 0;
            if (left == 0 && made < buffer_.size()) {
                return {};
            }
            if (taken == 0 && made == 0) {
                return std::unexpected("lz4: the decoder made no progress");
            }
        }
    }

    std::expected<void, std::string> finish() override {
        if (!frame_done_) {
            return std::unexpected("lz4: stream cut short");
        }
        return {};
    }

private:
    LZ4F_dctx* context_ = nullptr;
    bool frame_done_ = false;
    std::array<char, kOutputChunk> buffer_{};
};

}  // namespace

std::string_view to_string(Compression compression) {
    switch (compression) {
        case Compression::none:
            return "none";
        case Compression::gzip:
            return "gzip";
        case Compression::xz:
            return "xz";
        case Compression::zstd:
            return "zstd";
        case Compression::lz4:
            return "lz4";
    }
    return "none";
}

Compression detect_compression(std::string_view first_bytes) {
    if (first_bytes.starts_with("\x1f\x8b")) {
        return Compression::gzip;
    }
    if (first_bytes.starts_with(std::string_view("\xfd"
                                                 "7zXZ\x00",
                                                 6))) {
        return Compression::xz;
    }
    if (first_bytes.starts_with("\x28\xb5\x2f\xfd")) {
        return Compression::zstd;
    }
    if (first_bytes.starts_with("\x04\x22\x4d\x18")) {
        return Compression::lz4;
    }
    return Compression::none;
}

std::unique_ptr<Decompressor> Decompressor::create(Compression compression) {
    switch (compression) {
        case Compression::gzip:
            return std::make_unique<GzipDecompressor>();
        case Compression::xz:
            return std::make_unique<XzDecompressor>();
        case Compression::zstd:
            return std::make_unique<ZstdDecompressor>();
        case Compression::lz4:
            return std::make_unique<Lz4Decompressor>();
        case Compression::none:
            break;
    }
    return std::make_unique<CopyDecompressor>();
}

}  // namespace diag::logs
