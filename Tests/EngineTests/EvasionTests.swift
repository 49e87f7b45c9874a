import Engine
import Foundation
import Moderation
import Testing

/// One test per disguise and HTML trick: the verdict, the rule, and the span a moderator sees.
struct EvasionTests {
    static func moderate(_ body: String, format: BodyFormat = .text) throws -> Moderated {
        let pipeline = try RecordProcessorTests.loaded.get()
        var scratch = pipeline.makeScratch()
        return try pipeline.moderate(Post(id: "t", body: body, format: format), using: &scratch)
    }

    /// The original text of code points `start..<end`.
    static func slice(_ text: String, _ start: Int, _ end: Int) -> String {
        String(String.UnicodeScalarView(Array(text.unicodeScalars)[start..<end]))
    }

    @Test(arguments: [
        ("leetspeak", "pay me on v3nm0 today", "offplatform.venmo_zelle", "v3nm0"),
        ("leet symbols", "send to my c@$happ", "offplatform.cashapp", "c@$happ"),
        ("capital I for l", "just kiII yourself", "harassment.threat_kys", "kiII yourself"),
        ("spaced letters", "send it to c a s h a p p", "offplatform.cashapp", "c a s h a p p"),
        ("dotted letters", "f.u.c.k you", "profanity.fuck", "f.u.c.k"),
        ("dashed letters", "f-u-c-k off", "profanity.fuck", "f-u-c-k"),
        ("repeated letters", "fuuuuuck this", "profanity.fuck", "fuuuuuck"),
        ("zero-width space", "my ca\u{200B}shapp is", "offplatform.cashapp", "ca\u{200B}shapp"),
        ("zero-width joiner", "my cash\u{200D}app is", "offplatform.cashapp", "cash\u{200D}app"),
        ("Cyrillic lookalikes", "pay on саshарр now", "offplatform.cashapp", "саshарр"),
        ("fullwidth", "ｃａｓｈａｐｐ now", "offplatform.cashapp", "ｃａｓｈａｐｐ"),
        ("mathematical bold", "𝐜𝐚𝐬𝐡𝐚𝐩𝐩 now", "offplatform.cashapp", "𝐜𝐚𝐬𝐡𝐚𝐩𝐩"),
    ])
    func disguisedTermIsCaughtAtItsOriginalSpan(technique: String, body: String, rule: String, excerpt: String) throws {
        let moderated = try Self.moderate(body)
        let finding = try #require(moderated.verdict.findings.first { $0.rule == rule }, "\(technique)")
        #expect(finding.excerpt == excerpt, "\(technique)")
        #expect(Self.slice(body, finding.start, finding.end) == finding.excerpt, "\(technique)")
        // Profanity is allowed by the shipped policy; everything else here needs a person.
        if finding.category != "profanity" { #expect(moderated.verdict.action != .allow, "\(technique)") }
    }

    @Test(arguments: [
        ("mixed scripts", "pay on саshарр now", "evasion.mixed_script", "саshарр"),
        ("invisible character", "my ca\u{200B}shapp is", "evasion.invisible_characters", "\u{200B}"),
        ("heavy leet", "send to my c@$happ", "evasion.disguised_term", "c@$happ"),
    ])
    func disguiseIsASignalOfItsOwn(technique: String, body: String, rule: String, excerpt: String) throws {
        let moderated = try Self.moderate(body)
        let finding = try #require(moderated.verdict.findings.first { $0.rule == rule }, "\(technique)")
        #expect(finding.category == "evasion")
        #expect(finding.excerpt == excerpt)
        #expect(Self.slice(body, finding.start, finding.end) == excerpt)
    }

    @Test(arguments: [
        "it costs $40 in 2024", "meet at 5pm", "I have 3 cats and 1 dog", "score was 7-5",
        "Scunthorpe", "Essex", "Penistone", "assassin", "cocktail", "shiitake", "therapist", "analysis", "grape",
        "Dickens", "a cat sat on the mat", "class assignment", "Sussex and Middlesex",
    ])
    func ordinaryTextStaysAllowed(body: String) throws {
        let moderated = try Self.moderate(body)
        #expect(moderated.verdict.action == .allow)
        #expect(moderated.verdict.findings.isEmpty, "\(moderated.verdict.findings.map(\.rule))")
    }

    // MARK: - HTML tricks

    @Test(arguments: [
        ("word split across tags", "<p>you are wor<b>th</b>less</p>", "harassment.worthless", "you are worthless"),
        (
            "hidden with display:none", #"<p>hi<span style="display:none"> cashapp me</span></p>"#,
            "offplatform.cashapp", "cashapp me"
        ),
        (
            "hidden with font-size:0", #"<p>hi <span style="font-size:0">cashapp me</span></p>"#, "offplatform.cashapp",
            "cashapp me"
        ),
        ("image alt text", #"<p>look <img src="a.png" alt="cashapp me"></p>"#, "offplatform.cashapp", "cashapp me"),
        ("title text", #"<p>look <span title="cashapp me">here</span></p>"#, "offplatform.cashapp", "cashapp me"),
        ("entities", "<p>c&#97;shapp me</p>", "offplatform.cashapp", "cashapp me"),
    ])
    func htmlTrickIsSeenThrough(trick: String, html: String, rule: String, excerpt: String) throws {
        let moderated = try Self.moderate(html, format: .html)
        #expect(moderated.parsed.field == .text)
        let finding = try #require(moderated.verdict.findings.first { $0.rule == rule }, "\(trick)")
        #expect(finding.field == .text)
        #expect(finding.excerpt == excerpt, "\(trick)")
        #expect(Self.slice(moderated.parsed.text, finding.start, finding.end) == excerpt, "\(trick)")
    }

    @Test func hiddenTextIsFlaggedAsHidden() throws {
        let moderated = try Self.moderate(#"<p>hi <span style="display:none">cashapp me</span></p>"#, format: .html)
        let hidden = try #require(moderated.verdict.findings.first { $0.rule == "evasion.hidden_text" })
        #expect(hidden.excerpt == "cashapp me")
    }

    @Test func scriptAndStyleAreNotRead() throws {
        let moderated = try Self.moderate(
            "<style>.cashapp{}</style><script>cashapp()</script><p>hello</p>",
            format: .html
        )
        #expect(moderated.parsed.text == "hello")
        #expect(moderated.verdict.action == .allow)
    }

    @Test(arguments: [
        (#"<a href="https://paypa1-secure.xyz/login">www.paypal.com</a>"#, true),
        (#"<a href="https://www.paypal.com/signin">paypal.com</a>"#, false),
        (#"<a href="https://help.example.com/x">example.com</a>"#, false),
        (#"<a href="https://example.com">click here</a>"#, false),
    ])
    func anchorNamingAnotherDomainIsFlagged(html: String, flagged: Bool) throws {
        let moderated = try Self.moderate(html, format: .html)
        let finding = moderated.verdict.findings.first { $0.rule == "scam.link_mismatch" }
        #expect((finding != nil) == flagged)
        if let finding {
            #expect(finding.excerpt == moderated.parsed.links.first?.anchorText)
        }
    }

    // MARK: - Personal data

    @Test(arguments: [
        ("my card is 4111 1111 1111 1111 exp 12/28", "pii.card", "4111 1111 1111 1111", Action.block),
        ("ssn 123-45-6789", "pii.ssn", "123-45-6789", .block),
        ("his address is 221B Baker Street, go get him", "pii.address", "221B Baker Street", .review),
        ("email me at a@b.com", "pii.email", "a@b.com", .allow),
    ])
    func personalDataIsFoundAndRouted(body: String, rule: String, excerpt: String, action: Action) throws {
        let moderated = try Self.moderate(body)
        let finding = try #require(moderated.verdict.findings.first { $0.rule == rule })
        #expect(finding.excerpt == excerpt)
        #expect(Self.slice(body, finding.start, finding.end) == excerpt)
        #expect(moderated.verdict.action == action)
    }

    @Test(arguments: ["order 4111 1111 1111 1112 shipped", "I'm 15 minutes late", "it costs $1,250.00 at 10:30"])
    func numbersThatAreNotPersonalDataStayAllowed(body: String) throws {
        let moderated = try Self.moderate(body)
        #expect(!moderated.verdict.findings.contains { $0.category == "pii" })
    }
}
