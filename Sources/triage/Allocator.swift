internal import CShims

/// Settings of the C allocator for a run that moderates batches on several threads.
enum Allocator {
    /// Keeps freed memory in the process instead of handing it back to the kernel as soon as it is free, in two
    /// heaps shared by all threads.
    ///
    /// A batch's buffers (a megabyte or two) are allocated on one thread and freed on another. By default
    /// glibc maps blocks that large afresh and trims its heaps as they empty, so every batch paid hundreds of
    /// page faults to get zeroed memory back (32,000 on 200,000 posts with two workers; about 13,000 with
    /// these settings); and it gives each thread a heap of its own, each keeping its own high-water mark, so
    /// peak memory wandered from run to run (70–90 MB on the same 1 GB input; 65 MB with two heaps).
    static func keepFreedMemory() {
        triage_keep_freed_memory()
    }
}
