internal import Classification
internal import Moderation

/// Replaces personal data in the text a verdict is about with placeholders, for `--redact`.
///
/// The findings keep their offsets into the unredacted original: a moderator with access can still see
/// what was there; a log or a shared export does not carry it.
enum Redaction {
    /// Placeholders by PII rule, from the PII heuristic's own kinds.
    static let placeholders = Dictionary(uniqueKeysWithValues: PIIKind.allCases.map { ($0.rule, $0.placeholder) })

    /// `moderated` with personal data replaced in its text and in every finding's excerpt, or `nil` when
    /// there is nothing to hide. Offsets still point into the unredacted original.
    static func redacted(_ moderated: Moderated) -> Moderated? {
        let spans = moderated.verdict.findings
            .filter { $0.field == moderated.parsed.field && placeholders[$0.rule] != nil }
            .map { (range: $0.start..<$0.end, placeholder: placeholders[$0.rule]!) }  // filtered just above
            .sorted { $0.range.lowerBound < $1.range.lowerBound }
        guard !spans.isEmpty else { return nil }
        let scalars = Array(moderated.parsed.text.unicodeScalars)
        /// The text of `window` with the personal data inside it replaced.
        func text(of window: Range<Int>) -> String {
            var result = String.UnicodeScalarView()
            var position = window.lowerBound
            for (range, placeholder) in spans where range.upperBound > position && range.lowerBound < window.upperBound
            {
                let start = max(range.lowerBound, position)
                result.append(contentsOf: scalars[position..<min(start, scalars.count)])
                result.append(contentsOf: placeholder.unicodeScalars)
                position = min(range.upperBound, scalars.count)
            }
            if position < window.upperBound { result.append(contentsOf: scalars[position..<window.upperBound]) }
            return String(result)
        }
        var result = moderated
        result.parsed.text = text(of: 0..<scalars.count)
        for index in result.verdict.findings.indices
        where result.verdict.findings[index].field == moderated.parsed.field {
            let finding = result.verdict.findings[index]
            let window = min(finding.start, scalars.count)..<min(finding.end, scalars.count)
            if spans.contains(where: { $0.range.overlaps(window) }) {
                result.verdict.findings[index].excerpt = text(of: window)
            }
        }
        return result
    }
}
