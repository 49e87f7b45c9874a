#include "shims.h"

#if defined(__linux__)
#include <malloc.h>
#endif

void triage_keep_freed_memory(void) {
#if defined(__GLIBC__)
    mallopt(M_MMAP_THRESHOLD, 16 << 20);
    mallopt(M_TRIM_THRESHOLD, 8 << 20);
    mallopt(M_ARENA_MAX, 2);
#endif
}
