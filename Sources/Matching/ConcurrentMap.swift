internal import Dispatch
internal import Synchronization

extension Array where Element: Sendable {
    /// `map`, with the elements transformed on every core; the results keep the elements' order.
    ///
    /// For start-up work in a few large pieces (a file, a pattern): one Dispatch task per element.
    func concurrentMap<Result: Sendable>(_ transform: @Sendable (Element) -> Result) -> [Result] {
        guard count > 1 else { return map(transform) }
        let results = Mutex([Result?](repeating: nil, count: count))
        DispatchQueue.concurrentPerform(iterations: count) { index in
            let result = transform(self[index])
            results.withLock { $0[index] = result }
        }
        // concurrentPerform returns once every element is done, so every slot is filled.
        return results.withLock { $0.map { $0! } }
    }
}

/// Runs `first` and `second` at the same time (the calling thread takes one) and returns both results.
func concurrently<First: Sendable, Second: Sendable>(
    _ first: @Sendable () -> First,
    _ second: @Sendable () -> Second
) -> (First, Second) {
    let results = Mutex<(First?, Second?)>((nil, nil))
    DispatchQueue.concurrentPerform(iterations: 2) { part in
        if part == 0 {
            let result = first()
            results.withLock { $0.0 = result }
        } else {
            let result = second()
            results.withLock { $0.1 = result }
        }
    }
    // concurrentPerform returns once both parts are done, so both are set.
    return results.withLock { ($0.0!, $0.1!) }
}
