// libFuzzer's driver, for harnesses that have a `main` of their own: SwiftPM builds every executable with its
// own entry point, so libFuzzer's `main` is never linked in. The runtime comes with `-sanitize=fuzzer`.
// See: https://llvm.org/docs/LibFuzzer.html#using-libfuzzer-as-a-library
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*UserCb)(const uint8_t *Data, size_t Size));
