/// Finds the byte offset of a code point in UTF-8 text, walking from where the last lookup ended, so
/// lookups in text order cost the distance moved, not the length of the text (a post of many numbers or
/// links stays linear). ASCII text needs no walk: code point `i` is byte `i`.
struct CodePointCursor {
    let text: UnsafeBufferPointer<UInt8>
    let isASCII: Bool
    /// Where the last lookup ended: a code point and its byte offset.
    private var position = (codePoint: 0, byte: 0)

    init(text: UnsafeBufferPointer<UInt8>, isASCII: Bool) {
        self.text = text
        self.isASCII = isASCII
    }

    /// The byte offset of code point `index` (or the end of the text).
    mutating func byteOffset(ofCodePoint index: Int) -> Int {
        if isASCII { return min(index, text.count) }
        var (codePoint, offset) = position
        while codePoint < index, offset < text.count {
            offset += 1
            while offset < text.count, text[offset] & 0xC0 == 0x80 { offset += 1 }
            codePoint += 1
        }
        while codePoint > index, offset > 0 {
            offset -= 1
            while offset > 0, text[offset] & 0xC0 == 0x80 { offset -= 1 }
            codePoint -= 1
        }
        position = (codePoint, offset)
        return offset
    }
}
