#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace diag::test {

/// A fresh directory under the system temp directory, removed with everything in it when the
/// object goes. Helpers build captured roots in it; each fails the test when it cannot.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    [[nodiscard]] const std::filesystem::path& path() const { return path_; }
    /// path() / relative, with a leading '/' of relative ignored.
    [[nodiscard]] std::filesystem::path at(std::string_view relative) const;

    /// Writes a regular file, creating its parent directories.
    void write(std::string_view relative, std::string_view content) const;
    /// Creates a FIFO (named pipe), creating its parent directories.
    void make_fifo(std::string_view relative) const;
    /// Creates a symbolic link at relative whose target is `target`, exactly as given.
    void make_symlink(std::string_view relative, std::string_view target) const;
    /// Creates a directory and its parents.
    void make_dir(std::string_view relative) const;

private:
    std::filesystem::path path_;
};

}  // namespace diag::test
