internal import CZlib

/// The decompressed bytes of a gzip stream, inflated a chunk at a time as they are read.
///
/// Several members back to back (`cat a.gz b.gz`) read as one stream, as `gzip -d` reads them. zlib
/// streams are accepted too (`inflateInit2` with 15 + 32 detects the header). A corrupt or truncated
/// stream is not an error until every byte decompressed before the problem has been returned; from then on
/// every read throws the same error. zlib checks a member's CRC only at its end, so bytes delivered before
/// an "incorrect data check" may themselves be damaged.
public struct GzipSource<Compressed: ByteSource & ~Copyable>: ByteSource, ~Copyable {
    private var compressed: Compressed
    // A z_stream must not move: zlib keeps a pointer back to it in its state and refuses a stream whose
    // address changed (inflate.c, inflateStateCheck). So it lives on the heap, owned by this value.
    private let stream: UnsafeMutablePointer<z_stream>
    // zlib keeps `next_in` between calls, so the input must not move either; an array's storage may.
    private let input: UnsafeMutableRawBufferPointer
    /// Compressed bytes read from `compressed` so far.
    private var inputTotal = 0
    private var isInputAtEnd = false
    /// Whether inflate has started a member and not yet reached its end.
    private var isInsideMember = false
    /// Whether any member has started: a file with none is truncated too.
    private var hasSeenMember = false
    private var delivered = 0
    private var failure: SourceError?
    /// Most decompressed bytes per compressed byte, once more than `expansionAllowance` bytes are out.
    public let maxExpansionRatio: Int
    /// Decompressed bytes always allowed, whatever the ratio: a small file of repeated text is no bomb.
    public let expansionAllowance: Int

    /// The default of `maxExpansionRatio`. Text compresses 3–20 times; deflate's ceiling is about 1,032
    /// (runs of one byte), which only crafted or degenerate files come near.
    public static var defaultMaxExpansionRatio: Int { 200 }

    public var name: String { compressed.name }
    /// Compressed bytes inflate has consumed so far.
    public var bytesConsumed: Int { inputTotal - Int(stream.pointee.avail_in) }
    public var byteCount: Int? { compressed.byteCount }
    /// Decompressed bytes returned so far.
    public var bytesDelivered: Int { delivered }

    /// Decompresses `compressed`, reading `inputBytes` of it at a time; a stream that expands more than
    /// `maxExpansionRatio` times (past the first `expansionAllowance` bytes) fails with `.gzipBomb`.
    public init(
        _ compressed: consuming Compressed,
        inputBytes: Int = 256 << 10,
        maxExpansionRatio: Int = defaultMaxExpansionRatio,
        expansionAllowance: Int = 16 << 20
    ) throws(SourceError) {
        precondition(inputBytes > 0 && inputBytes <= UInt32.max, "zlib counts input in a UInt32")
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())  // zalloc, zfree and opaque nil: zlib's own allocator
        // 15: the largest window, which any gzip file may use; + 32: detect a gzip or zlib header (zlib.h).
        let status = czlib_inflate_init2(stream, 15 + 32)
        guard status == Z_OK else {
            stream.deallocate()
            // Z_MEM_ERROR is the only failure a valid call can have (Z_VERSION_ERROR needs a mismatched header).
            throw .outOfMemory(source: compressed.name)
        }
        self.stream = stream
        self.maxExpansionRatio = maxExpansionRatio
        self.expansionAllowance = expansionAllowance
        self.input = .allocate(byteCount: inputBytes, alignment: 1)
        self.compressed = compressed
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
        input.deallocate()
    }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(SourceError) -> Int {
        if let failure { throw failure }
        guard let output = buffer.baseAddress, !buffer.isEmpty else { return 0 }
        let capacity = min(buffer.count, Int(UInt32.max))
        stream.pointee.next_out = output.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = UInt32(capacity)
        var produced: Int { capacity - Int(stream.pointee.avail_out) }
        while stream.pointee.avail_out > 0 {
            if stream.pointee.avail_in == 0 {
                // Return what is ready rather than wait for more input: a slow pipe still streams.
                if produced > 0 { break }
                if isInputAtEnd {
                    guard isInsideMember || !hasSeenMember else { break }
                    return try fail(.truncatedGzip(source: name, offset: inputTotal, decompressedBytes: delivered), 0)
                }
                try refill()
                continue
            }
            hasSeenMember = true
            isInsideMember = true
            switch inflate(stream, Z_NO_FLUSH) {
            case Z_OK:
                continue
            case Z_STREAM_END:
                // One member done; another may follow (multi-member files), so start over on the rest.
                isInsideMember = false
                inflateReset(stream)
            case Z_BUF_ERROR:
                // No progress was possible: input ran out mid-way (refilled above) or the output is full.
                guard stream.pointee.avail_in == 0 || stream.pointee.avail_out == 0 else {
                    return try fail(corruption("inflate made no progress", produced), produced)
                }
            case Z_DATA_ERROR:
                let reason = stream.pointee.msg.map { String(cString: $0) } ?? "invalid compressed data"
                return try fail(corruption(reason, produced), produced)
            case Z_NEED_DICT:
                return try fail(corruption("the zlib stream needs a preset dictionary", produced), produced)
            case Z_MEM_ERROR:
                return try fail(.outOfMemory(source: name), produced)
            case let status:
                // Z_STREAM_ERROR means the stream state is broken, which only a bug here could cause.
                fatalError("inflate returned \(status) on a stream it initialised")
            }
        }
        let total = delivered + produced
        if total > expansionAllowance, total / max(bytesConsumed, 1) > maxExpansionRatio {
            // A bomb is refused before it costs more than the allowance and one read: its bytes are dropped.
            let error = SourceError.gzipBomb(
                source: name,
                offset: bytesConsumed,
                decompressedBytes: delivered,
                ratio: maxExpansionRatio
            )
            failure = error
            throw error
        }
        delivered += produced
        return produced
    }

    /// Corruption at the current input position, after the bytes delivered so far and the `produced` ones
    /// this read still returns.
    private func corruption(_ reason: String, _ produced: Int) -> SourceError {
        .corruptGzip(source: name, offset: bytesConsumed, decompressedBytes: delivered + produced, reason: reason)
    }

    /// Records `error` for every later read; returns the `produced` bytes still owed to the caller first.
    private mutating func fail(_ error: SourceError, _ produced: Int) throws(SourceError) -> Int {
        failure = error
        guard produced > 0 else { throw error }
        delivered += produced
        return produced
    }

    private mutating func refill() throws(SourceError) {
        let count = try compressed.read(into: input)
        inputTotal += count
        isInputAtEnd = count == 0
        stream.pointee.next_in = input.baseAddress?.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_in = UInt32(count)
    }
}
