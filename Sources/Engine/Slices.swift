internal import Dispatch
internal import Synchronization

/// Runs `body` over contiguous slices of `0..<count` on up to `workers` threads and returns the slices'
/// results in order.
///
/// There are four slices per worker, handed out by `concurrentPerform` as workers free up, so one slow slice
/// (HTML, long posts) does not leave the other cores idle at the end; with one worker, or little work, it
/// runs on the calling thread. The only shared state is the slot each slice fills once, behind a lock.
func inSlices<Result: Sendable>(
    of count: Int,
    workers: Int,
    _ body: @Sendable (Range<Int>) -> Result
) -> [Result] {
    let sliceCount = workers <= 1 ? 1 : max(1, min(workers * 4, count / 64 + 1))
    if sliceCount == 1 { return [body(0..<count)] }
    let slots = Mutex([Result?](repeating: nil, count: sliceCount))
    DispatchQueue.concurrentPerform(iterations: sliceCount) { slice in
        let result = body((count * slice / sliceCount)..<(count * (slice + 1) / sliceCount))
        slots.withLock { $0[slice] = result }
    }
    // Every slot is filled before concurrentPerform returns.
    return slots.withLock { $0.compactMap { $0 } }
}
