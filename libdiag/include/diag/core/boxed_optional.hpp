#pragma once

#include <memory>
#include <optional>
#include <utility>

namespace diag {

/// An optional value kept on the heap: the size of a pointer while absent, for records that
/// exist by the hundred and mostly lack it (a veth has no driver statistics or link modes).
/// Used like std::optional; copies copy the value.
template <class T>
class BoxedOptional {
public:
    BoxedOptional() = default;
    BoxedOptional(std::nullopt_t /*none*/) {}  // NOLINT(google-explicit-constructor)
    BoxedOptional(T value)                     // NOLINT(google-explicit-constructor)
        : box_(std::make_unique<T>(std::move(value))) {}
    BoxedOptional(std::optional<T> value) {  // NOLINT(google-explicit-constructor)
        if (value) {
            box_ = std::make_unique<T>(std::move(*value));
        }
    }
    BoxedOptional(const BoxedOptional& other)
        : box_(other.box_ ? std::make_unique<T>(*other.box_) : nullptr) {}
    BoxedOptional& operator=(const BoxedOptional& other) {
        if (this != &other) {
            box_ = other.box_ ? std::make_unique<T>(*other.box_) : nullptr;
        }
        return *this;
    }
    BoxedOptional(BoxedOptional&&) noexcept = default;
    BoxedOptional& operator=(BoxedOptional&&) noexcept = default;
    ~BoxedOptional() = default;

    [[nodiscard]] bool has_value() const { return box_ != nullptr; }
    explicit operator bool() const { return has_value(); }
    T& operator*() { return *box_; }
    const T& operator*() const { return *box_; }
    T* operator->() { return box_.get(); }
    const T* operator->() const { return box_.get(); }
    /// Makes the value anew from args and returns it.
    template <class... Args>
    T& emplace(Args&&... args) {
        box_ = std::make_unique<T>(std::forward<Args>(args)...);
        return *box_;
    }
    void reset() { box_.reset(); }

private:
    std::unique_ptr<T> box_;
};

}  // namespace diag
