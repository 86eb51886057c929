#include "support/shared_data.hpp"

#include <diag/logs/classifier.hpp>
#include <diag/logs/rule.hpp>

#include <set>
#include <string>

#include <catch2/catch.hpp>

namespace {

const diag::logs::Classifier& builtin_classifier() {
    static const auto classifier = diag::logs::Classifier::build(diag::logs::builtin_rules());
    REQUIRE(classifier);
    return *classifier;
}

std::set<std::string> matched_ids(const diag::logs::Classifier& classifier, std::string_view text,
                                  std::string_view program = {}) {
    std::set<std::string> ids;
    for (const auto& match : classifier.classify(text, program)) {
        ids.insert(classifier.rules().at(match.rule_index).id);
    }
    return ids;
}

}  // namespace

TEST_CASE("rules: the built-in catalogue parses, has 50 or more rules, each complete") {
    const auto [rules, errors] = diag::logs::parse_rule_file(diag::logs::builtin_rule_text());
    for (const auto& error : errors) {
        FAIL_CHECK("line " << error.line << ": " << error.message);
    }
    CHECK(rules.size() >= 50);
    std::set<std::string> ids;
    std::set<std::string> categories;
    for (const auto& rule : rules) {
        INFO(rule.id);
        CHECK(ids.insert(rule.id).second);
        categories.insert(rule.category);
        CHECK_FALSE(rule.source.empty());
        CHECK_FALSE(rule.sample.empty());
        CHECK_FALSE(rule.near_miss.empty());
    }
    CHECK(categories == std::set<std::string>{"disk", "network", "memory", "cpu", "process",
                                              "kernel", "gpu", "web"});
}

TEST_CASE("rules: every sample matches its rule alone with every field, no near miss matches it") {
    const auto& classifier = builtin_classifier();
    for (std::size_t i = 0; i < classifier.rules().size(); ++i) {
        const auto& rule = classifier.rules()[i];
        INFO(rule.id << ": " << rule.sample);
        const auto matches = classifier.classify(rule.sample, rule.program);
        REQUIRE(matches.size() == 1);
        CHECK(matches[0].rule_index == i);
        CHECK(matches[0].fields.size() == rule.fields.size());
        INFO("near miss: " << rule.near_miss);
        CHECK(matched_ids(classifier, rule.near_miss, rule.program).count(rule.id) == 0);
    }
}

TEST_CASE("classify: a segfault gives process, pid, address, ip and library") {
    const auto& classifier = builtin_classifier();
    const auto matches = classifier.classify(
        "php-fpm8.2[3117]: segfault at 10 ip 000055d0c3a1b2c4 sp 00007ffc99e0a5f0 error 4 in "
        "php-fpm8.2[55d0c3800000+300000] likely on CPU 0 (core 0, socket 0)",
        "kernel");
    REQUIRE(matches.size() == 1);
    const auto& fields = matches[0].fields;
    REQUIRE(fields.size() == 5);
    CHECK(fields[0].value == "php-fpm8.2");
    CHECK(fields[1].value == "3117");
    CHECK(fields[2].value == "10");
    CHECK(fields[3].value == "000055d0c3a1b2c4");
    CHECK(fields[4].value == "php-fpm8.2");
    CHECK(diag::logs::subject_of(fields) == "php-fpm8.2");
}

TEST_CASE("classify: a lookahead rule is prefiltered by Vectorscan and settled by std::regex") {
    const auto& classifier = builtin_classifier();
    CHECK(matched_ids(classifier, "BUG: Bad page state in process swapper  pfn:1a2b3") ==
          std::set<std::string>{"kernel.bug_other"});
    CHECK(matched_ids(classifier, "BUG: soft lockup - CPU#0 stuck for 22s! [x:1]") ==
          std::set<std::string>{"kernel.soft_lockup"});
}

TEST_CASE("classify: only the first line counts, and a rule's program must agree when known") {
    const auto& classifier = builtin_classifier();
    CHECK(matched_ids(classifier, "all fine\nKernel panic - not syncing: x").empty());
    CHECK(matched_ids(classifier, "Kernel panic - not syncing: x", "kernel").size() == 1);
    CHECK(matched_ids(classifier, "Kernel panic - not syncing: x", "").size() == 1);
    CHECK(matched_ids(classifier, "Kernel panic - not syncing: x", "myscript").empty());
}

TEST_CASE("rules: a user file adds rules and names each problem with its line") {
    const auto [rules, errors] = diag::logs::parse_rule_file(
        "# mine\n"
        "[app.payment_failed]\n"
        "category = app\n"
        "severity = critical\n"
        "fields = order\n"
        "pattern = payment for order (\\d+) failed\n"
        "meaning = a customer could not pay\n"
        "\n"
        "[app.bad]\n"
        "category = app\n"
        "severity = fatal\n"
        "colour = red\n"
        "pattern = x\n"
        "meaning = y\n"
        "stray line\n");
    REQUIRE(rules.size() == 1);
    CHECK(rules[0].id == "app.payment_failed");
    CHECK(rules[0].severity == diag::Severity::critical);
    REQUIRE(errors.size() == 4);
    CHECK(errors[0].line == 11);
    CHECK(errors[1].line == 12);
    CHECK(errors[2].line == 15);
    CHECK(errors[3].message == "rule app.bad lacks severity");

    auto classifier = diag::logs::Classifier::build(rules);
    REQUIRE(classifier);
    const auto matches = classifier->classify("payment for order 881 failed: card declined");
    REQUIRE(matches.size() == 1);
    CHECK(matches[0].fields.at(0).value == "881");
}

TEST_CASE("rules: a bad pattern or too few groups fails the build with the rule's id") {
    diag::logs::Rule rule;
    rule.id = "x.broken";
    rule.category = "x";
    rule.pattern = "(unclosed";
    rule.meaning = "m";
    auto broken = diag::logs::Classifier::build({rule});
    REQUIRE_FALSE(broken);
    CHECK(broken.error().find("x.broken") != std::string::npos);

    rule.pattern = "no groups";
    rule.fields = {"device"};
    auto short_groups = diag::logs::Classifier::build({rule});
    REQUIRE_FALSE(short_groups);
    CHECK(short_groups.error().find("1 fields but only 0 groups") != std::string::npos);
}

TEST_CASE("rules: man/diag-logs.1 lists every rule of the catalogue") {
    const auto page = diag::test::read_file(diag::test::source_dir() / "man/diag-logs.1");
    for (const auto& rule : diag::logs::builtin_rules()) {
        INFO(rule.id);
        CHECK(page.find(".B " + rule.id + "\n") != std::string::npos);
    }
}
