#ifndef TRIAGE_SHIMS_H
#define TRIAGE_SHIMS_H

/// Tells glibc's allocator to keep freed memory in the process: blocks up to 64 MiB come from the heap rather
/// than fresh mappings, and a heap is not trimmed until 256 MiB at its top are free. Does nothing elsewhere.
void triage_keep_freed_memory(void);

/// Asks the processor to bring the cache line holding `address` closer, without waiting for it (Swift has no
/// prefetch of its own; a plain load would hold up the instructions behind it until the line arrives).
static inline void triage_prefetch(const void *address) { __builtin_prefetch(address); }

#endif
