// Recurses without end; each frame holds a buffer so the stack runs out soon.
__attribute__((noipa)) int recurse(int depth) {
    volatile char buffer[512];
    buffer[0] = static_cast<char>(depth);
    return recurse(depth + 1) + buffer[0];
}

int main() {
    return recurse(0);
}
