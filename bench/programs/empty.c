/* empty: the smallest C program, for measuring start-up time (wasi-libc's _start included). */
int main(void) { return 0; }
