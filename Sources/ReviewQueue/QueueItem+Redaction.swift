extension QueueItem {
    /// The item with personal data replaced by placeholders: every span of a `pii.*` finding in `text`
    /// becomes `[EMAIL]`, `[PHONE]`, `[CARD]`… (the rule's name after `pii.`, in capitals).
    ///
    /// Findings are moved to point into the new text, so highlighting still works; a finding whose span
    /// touched personal data gets its excerpt from the new text, and a `pii.*` finding in a link gets the
    /// placeholder as its excerpt. Overlapping personal-data spans become one placeholder (the first one's).
    public func redactingPII() -> QueueItem {
        let scalars = Array(text.unicodeScalars)
        let clamp = { (offset: Int) in min(max(offset, 0), scalars.count) }
        var regions: [(start: Int, end: Int, placeholder: String)] = []
        for finding in findings where finding.isInText {
            guard let placeholder = Self.placeholder(forRule: finding.rule) else { continue }
            let (start, end) = (clamp(finding.start), clamp(finding.end))
            if start < end { regions.append((start, end, placeholder)) }
        }
        regions.sort { $0.start < $1.start }
        var merged: [(start: Int, end: Int, placeholder: String)] = []
        for region in regions {
            if let last = merged.last, region.start < last.end {
                merged[merged.count - 1].end = max(last.end, region.end)
            } else {
                merged.append(region)
            }
        }

        var redactedText = String.UnicodeScalarView()
        var position = 0
        for region in merged {
            redactedText.append(contentsOf: scalars[position..<region.start])
            redactedText.append(contentsOf: region.placeholder.unicodeScalars)
            position = region.end
        }
        redactedText.append(contentsOf: scalars[position...])
        let newScalars = Array(redactedText)

        /// Where `offset` in the old text lands in the new one; inside a placeholder, a start goes to its
        /// beginning and an end to its end, so the finding covers the whole placeholder.
        func moved(_ offset: Int, isEnd: Bool) -> Int {
            var shift = 0
            for region in merged {
                let length = region.placeholder.unicodeScalars.count
                if offset <= region.start { break }
                if offset >= region.end {
                    shift += length - (region.end - region.start)
                    continue
                }
                return region.start + shift + (isEnd ? length : 0)
            }
            return offset + shift
        }

        var result = self
        result.text = String(redactedText)
        result.findings = findings.map { finding in
            var finding = finding
            guard finding.isInText else {
                if let placeholder = Self.placeholder(forRule: finding.rule) { finding.excerpt = placeholder }
                return finding
            }
            let (start, end) = (clamp(finding.start), clamp(finding.end))
            let touchesPII = merged.contains { $0.start < max(end, start + 1) && start < $0.end }
            finding.start = moved(start, isEnd: false)
            finding.end = max(finding.start, moved(end, isEnd: true))
            if touchesPII {
                var excerpt = String.UnicodeScalarView()
                excerpt.append(contentsOf: newScalars[finding.start..<finding.end])
                finding.excerpt = String(excerpt)
            }
            return finding
        }
        return result
    }

    /// The placeholder for personal data found by `rule` (`pii.email` → `[EMAIL]`), or `nil` for other rules.
    static func placeholder(forRule rule: String) -> String? {
        guard rule.hasPrefix("pii."), rule.count > 4 else { return nil }
        return "[" + rule.dropFirst(4).uppercased() + "]"
    }
}

extension QueueFinding {
    /// Whether `start` and `end` point into `QueueItem.text` (a `body` or `text` field, not a `link`).
    public var isInText: Bool { field == "body" || field == "text" }
}
