/// Escaping for everything the report takes from the data: post text, ids, rule names, file names.
///
/// Besides `&`, `<`, `>`, `"` and `'`, it makes visible the characters a report must not pass through silently:
/// bidi controls would reorder the page around them (and are themselves an evasion signal), zero-width
/// characters hide inside words, and C0/C1 controls and U+FFFE/U+FFFF are not allowed in XML, which would stop
/// the page from being read as XHTML.
///
/// Public so the review queue's shift page escapes exactly as the scan report does: one list of hidden
/// characters to keep up to date, not two.
public enum HTMLText {
    /// `text` safe in element content: special characters as references, invisible ones as a visible
    /// `U+XXXX` tag.
    public static func escape(_ text: String) -> String {
        var output = ""
        append(text, to: &output, inAttribute: false)
        return output
    }

    /// `text` safe in a quoted attribute value: special characters as references, invisible ones spelled
    /// `U+XXXX`.
    public static func attribute(_ text: String) -> String {
        var output = ""
        append(text, to: &output, inAttribute: true)
        return output
    }

    /// Appends `text`, escaped for content or for an attribute, to `output`.
    public static func append(_ text: some StringProtocol, to output: inout String, inAttribute: Bool) {
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&#39;"  // not &apos;, which HTML 4 readers don't know
            case _ where isHidden(scalar):
                let code = "U+" + String(String(scalar.value, radix: 16, uppercase: true).paddedLeft(to: 4))
                output += inAttribute ? "[\(code)]" : #"<span class="cp">\#(code)</span>"#
            default: output.unicodeScalars.append(scalar)
            }
        }
    }

    /// Whether `scalar` is invisible or not allowed in XML, and so shown by its code instead.
    static func isHidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: false  // tab and line breaks are layout
        case 0x00...0x1F, 0x7F...0x9F: true  // C0 and C1 controls
        case 0x00AD, 0x061C, 0x180E: true  // soft hyphen, Arabic letter mark, Mongolian vowel separator
        case 0x200B, 0x200E, 0x200F, 0x2060...0x2064, 0xFEFF: true  // zero-width space, marks, joiners, BOM
        case 0x202A...0x202E, 0x2066...0x2069: true  // bidi embeddings, overrides and isolates
        case 0xFFFE, 0xFFFF: true  // noncharacters, not allowed in XML
        default: false
        }
    }
}

extension String {
    /// The string with zeros in front, up to `width` characters.
    fileprivate func paddedLeft(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
