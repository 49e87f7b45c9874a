#ifndef TRIAGE_ALLOCATOR_H
#define TRIAGE_ALLOCATOR_H

/// Tells glibc's allocator to keep freed memory in the process: blocks up to 64 MiB come from the heap rather
/// than fresh mappings, and a heap is not trimmed until 256 MiB at its top are free. Does nothing elsewhere.
void triage_keep_freed_memory(void);

#endif
