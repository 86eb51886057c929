#include <diag/core/boxed_optional.hpp>

#include <optional>
#include <string>

#include <catch2/catch.hpp>

TEST_CASE("boxed optional: absent until given a value, from a value or an optional") {
    diag::BoxedOptional<std::string> box;
    CHECK_FALSE(box.has_value());
    CHECK_FALSE(box);
    box = std::string("eth0");
    REQUIRE(box);
    CHECK(*box == "eth0");
    CHECK(box->size() == 4);
    box = std::optional<std::string>();
    CHECK_FALSE(box);
    box = std::optional<std::string>("bond0");
    CHECK(*box == "bond0");
    box = std::nullopt;
    CHECK_FALSE(box);
    CHECK(box.emplace(3, 'x') == "xxx");
}

TEST_CASE("boxed optional: a copy has a value of its own") {
    diag::BoxedOptional<std::string> first(std::string("rx"));
    auto second = first;
    *second += "_errors";
    CHECK(*first == "rx");
    CHECK(*second == "rx_errors");
    diag::BoxedOptional<std::string> empty;
    second = empty;
    CHECK_FALSE(second);
    CHECK(first);
    auto moved = std::move(first);
    CHECK(*moved == "rx");
}
