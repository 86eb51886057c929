// Dereferences NULL inside a function that is always inlined into its caller. The faulting
// instruction lies in the inlined body, so the line table attributes it to bump_next.
struct Node {
    int value;
    Node* next;
};

static inline __attribute__((always_inline)) void bump_next(Node* node) {
    node->next->value += node->value;
}

__attribute__((noipa)) int walk_list(Node* node) {
    bump_next(node);
    return node->value;
}

int main() {
    Node last{1, nullptr};
    return walk_list(&last);
}
