// Integer division by zero (argc - 1 is 0 when run without arguments).
__attribute__((noipa)) int divide(int dividend, int divisor) {
    return dividend / divisor;
}

int main(int argc, char**) {
    return divide(10, argc - 1);
}
