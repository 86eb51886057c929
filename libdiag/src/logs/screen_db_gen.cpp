// diag-screen-db-gen: a build step. Compiles the built-in rule catalogue's line screen and
// writes it, serialized, as a C++ source file defining builtin_screen_database(), so diag-logs
// loads it instead of compiling it at every start (Classifier::build falls back to compiling
// when this machine's Vectorscan cannot load it).
//
// Usage: diag-screen-db-gen OUTPUT.cpp

#include <diag/logs/classifier.hpp>
#include <diag/logs/rule.hpp>

#include <cstdio>
#include <fstream>
#include <string>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fputs("usage: diag-screen-db-gen OUTPUT.cpp\n", stderr);
        return 64;
    }
    const std::string output = argv[1];
    std::string bytes;
    auto classifier = diag::logs::Classifier::build(diag::logs::builtin_rules());
    if (!classifier) {
        std::fprintf(stderr, "diag-screen-db-gen: %s\n", classifier.error().c_str());
        return 1;
    }
    bytes = classifier->serialized_screen();
    std::string text =
        "// Made by diag-screen-db-gen from rule_catalogue.txt; do not edit.\n"
        "#include <diag/logs/rule.hpp>\n\n"
        "namespace diag::logs {\n\nnamespace {\n\n"
        "const unsigned char kScreen[] = {\n";
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        text += std::to_string(static_cast<unsigned char>(bytes[i]));
        text += (i % 24 == 23) ? ",\n" : ",";
    }
    text +=
        "0};\n\n}  // namespace\n\n"
        "std::string_view builtin_screen_database() {\n"
        "    return {reinterpret_cast<const char*>(kScreen), " +
        std::to_string(bytes.size()) + "};\n}\n\n}  // namespace diag::logs\n";
    // Written beside, then renamed: a failed step leaves no half file for the next build.
    const std::string partial = output + ".part";
    {
        std::ofstream out(partial, std::ios::binary | std::ios::trunc);
        out << text;
        if (!out.flush()) {
            std::fprintf(stderr, "diag-screen-db-gen: cannot write %s\n", partial.c_str());
            return 1;
        }
    }
    if (std::rename(partial.c_str(), output.c_str()) != 0) {
        std::perror("diag-screen-db-gen: rename");
        return 1;
    }
    return 0;
}
