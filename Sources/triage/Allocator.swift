internal import CShims

/// Settings of the C allocator for a run that moderates batches on several threads.
enum Allocator {
    /// Keeps freed memory in the process instead of handing it back to the kernel as soon as it is free.
    ///
    /// A batch's buffers (a megabyte or two) are allocated on one thread and freed on another. By default
    /// glibc maps blocks that large afresh and trims its heaps as they empty, so every batch paid hundreds of
    /// page faults to get zeroed memory back: on 200,000 posts with two workers, 32,000 page faults and
    /// 0.12 s of system time, against 10,000 and 0.03 s with these settings. Memory stays bounded, as the
    /// batches in flight are.
    static func keepFreedMemory() {
        triage_keep_freed_memory()
    }
}
