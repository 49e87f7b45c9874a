#ifndef TRIAGE_SHIMS_H
#define TRIAGE_SHIMS_H

/// Tells glibc's allocator to keep freed memory in the process: blocks up to 16 MiB (a batch's buffers are at
/// most a few) come from the heap rather than fresh mappings, a heap is not trimmed until 8 MiB at its top are
/// free, and all threads share two heaps, so that each thread's heap does not keep a high-water mark of its own.
/// Does nothing elsewhere.
void triage_keep_freed_memory(void);

/// Asks the processor to bring the cache line holding `address` closer, without waiting for it (Swift has no
/// prefetch of its own; a plain load would hold up the instructions behind it until the line arrives).
static inline void triage_prefetch(const void *address) { __builtin_prefetch(address); }

#endif
