internal import CPCRE2

/// A compiled PCRE2 pattern, shared read-only by every worker.
public final class Pattern: @unchecked Sendable {
    // @unchecked: pcre2api(3), MULTITHREADING: compiled code "is fixed, and does not change when the pattern
    // is matched". The one later write, the JIT pass, happens in init, before `self` escapes.
    let code: OpaquePointer
    /// Where the pattern comes from, for messages: `lexicons/hate.yml:14`.
    public let source: String

    /// Compiles `pattern` in UTF mode, with JIT unless `jit` is false (a pattern only checked, never run).
    ///
    /// - Throws: `MatchingError.invalidPattern` with PCRE2's own message and the byte offset it points at.
    public init(_ pattern: String, source: String, caseless: Bool = false, jit: Bool = true) throws(MatchingError) {
        var options = UInt32(PCRE2_UTF)
        if caseless { options |= UInt32(PCRE2_CASELESS) }
        var errorCode: Int32 = 0
        var errorOffset = 0
        var pattern = pattern
        let code = pattern.withUTF8 {
            pcre2_compile_8($0.baseAddress, $0.count, options, &errorCode, &errorOffset, nil)
        }
        guard let code else {
            throw .invalidPattern(source: source, offset: errorOffset, reason: Self.message(for: errorCode))
        }
        // JIT is a speed-up only: when it fails (an exotic pattern, no executable memory), PCRE2 interprets.
        if jit { _ = pcre2_jit_compile_8(code, UInt32(PCRE2_JIT_COMPLETE)) }
        self.code = code
        self.source = source
    }

    deinit { pcre2_code_free_8(code) }

    /// Calls `body` with the UTF-8 byte range of every non-overlapping match in `text`, in order.
    ///
    /// `text` must be valid UTF-8 (the normalizer's output is); it is not checked again. Returns `false` when
    /// PCRE2 gave up (match or depth limit), after reporting the matches found before that.
    @discardableResult
    public func forEachMatch(
        in text: UnsafeBufferPointer<UInt8>,
        using scratch: inout MatchScratch,
        _ body: (Range<Int>) -> Void
    ) -> Bool {
        guard let base = text.baseAddress else { return true }
        var offset = 0
        while offset <= text.count {
            let rc = pcre2_match_8(
                code,
                base,
                text.count,
                offset,
                UInt32(PCRE2_NO_UTF_CHECK),
                scratch.matchData,
                scratch.matchContext
            )
            if rc == PCRE2_ERROR_NOMATCH { return true }
            if rc < 0 { return false }
            // Never nil for a match data block that exists; PCRE2 fills it on every successful match.
            let ovector = pcre2_get_ovector_pointer_8(scratch.matchData)!
            let range = Int(ovector[0])..<Int(ovector[1])
            body(range)
            offset = range.isEmpty ? Self.nextScalar(after: range.upperBound, in: text) : range.upperBound
        }
        return true
    }

    /// Returns whether `text` contains a match; a limit hit counts as no match.
    public func matches(_ text: String, using scratch: inout MatchScratch) -> Bool {
        var text = text
        var found = false
        text.withUTF8 { utf8 in
            forEachMatch(in: utf8, using: &scratch) { _ in found = true }
        }
        return found
    }

    private static func nextScalar(after offset: Int, in text: UnsafeBufferPointer<UInt8>) -> Int {
        var next = offset + 1
        while next < text.count, text[next] & 0xC0 == 0x80 { next += 1 }
        return next
    }

    static func message(for errorCode: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let length = pcre2_get_error_message_8(errorCode, &buffer, buffer.count)
        guard length > 0 else { return "PCRE2 error \(errorCode)" }
        return String(decoding: buffer[..<Int(length)], as: UTF8.self)
    }
}

/// The memory PCRE2 needs for one match at a time: one per worker, reused for every post.
public struct MatchScratch: ~Copyable {
    let matchData: OpaquePointer
    let matchContext: OpaquePointer

    /// Makes scratch space; `matchLimit` bounds the work of one match, which stops catastrophic backtracking.
    public init(matchLimit: UInt32 = 1_000_000, depthLimit: UInt32 = 10_000) {
        guard let data = pcre2_match_data_create_8(16, nil),
            let context = pcre2_match_context_create_8(nil)
        else {
            // Out of memory at startup: nothing sensible to recover to.
            fatalError("PCRE2 could not allocate match scratch space")
        }
        pcre2_set_match_limit_8(context, matchLimit)
        pcre2_set_depth_limit_8(context, depthLimit)
        (self.matchData, self.matchContext) = (data, context)
    }

    deinit {
        pcre2_match_data_free_8(matchData)
        pcre2_match_context_free_8(matchContext)
    }
}
