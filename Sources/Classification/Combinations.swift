public import Moderation

/// Shapes that neither a word list nor a heuristic sees alone, found from what both fired.
///
/// They run last, on the rules that fired: "verify your account within 24 hours" is reviewed on its words,
/// but with `https://…` after it, it is the phishing message itself; an address is personal data, and next
/// to a threat it is doxxing.
public enum Combinations {
    /// What fired before: a rule, its category and its span.
    public typealias Fired = (rule: String, category: String, span: Range<Int>)

    /// Lexicon rules that ask for what phishing takes (credentials, verification, payment, fees) or press
    /// for it (suspension threats, security alerts, prizes).
    static let phishingRequests: Set<String> = [
        "scam.verify_account", "scam.credentials", "scam.suspension_threat", "scam.urgency_security",
        "scam.bank_details", "scam.fake_payment", "scam.advance_fee", "scam.prize", "scam.phishing_combo",
        "scam.fake_staff", "scam.fake_staff_named", "scam.giftcard_codes",
    ]

    /// Personal data that locates or reaches a person.
    static let locatingData: Set<String> = [
        "pii.address", "pii.phone", "pii.email", "pii.ip", "harassment.dox_context",
    ]

    /// The combination signals for a post, given everything that fired on it.
    public static func signals(in input: borrowing ClassifierInput, fired: [Fired]) -> [Signal] {
        guard !fired.isEmpty else { return [] }
        var signals: [Signal] = []
        // `scam.phishing_link`: a request for credentials or payment, and somewhere to send them.
        if fired.contains(where: { phishingRequests.contains($0.rule) }),
            let link = firstLink(in: input)
        {
            signals.append(Signal(rule: "scam.phishing_link", category: "scam", weight: 0.7, span: link))
        }
        // `pii.doxxing_threat`: data that finds a person, next to a threat against them. A floor: it blocks.
        if let data = fired.first(where: { locatingData.contains($0.rule) }),
            let threat = fired.first(where: { $0.category == "harassment.threat" || $0.category == "violence" })
        {
            let span =
                min(data.span.lowerBound, threat.span.lowerBound)..<max(data.span.upperBound, threat.span.upperBound)
            signals.append(Signal(rule: "pii.doxxing_threat", category: "harassment.threat", weight: 0.9, span: span))
        }
        return signals
    }

    /// The span of the post's first link: written out in the text, or an HTML link's anchor.
    static func firstLink(in input: borrowing ClassifierInput) -> Range<Int>? {
        if let start = input.shape.linkStarts.first {
            // The link runs to the next space.
            let bytes = input.normalized.bytes
            var end = start
            while end < bytes.count, bytes[end] != 0x20, bytes[end] != 0x0A { end += 1 }
            return input.normalized.originalRange(forBytes: start..<end)
        }
        return input.links.first?.anchorRange
    }
}
