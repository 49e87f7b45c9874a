import Foundation
import ReviewQueue
import Testing

/// The import's hand-written JSON reading: the same items `JSONDecoder` gave, and every bad line reported.
struct VerdictDecodingTests {
    /// A line as `triage scan` writes it: an HTML body, members the queue skips (`to`, `links`, `engine`).
    static let scannedLine = #"""
        {"id": "h_003", "body": "<p>Love this!!</p><span style=\"display:none\">pay me directly</span>", \#
        "format": "html", "author": {"id": "u_61", "role": "fan", "account_age_days": 1}, "to": {"id": "u_7", \#
        "role": "creator"}, "surface": "comment", "created_at": "2026-11-25T12:15:00Z","moderation":{"action":\#
        "review","queue":"offplatform.payment","priority":"normal","due_at":"2026-11-26T12:15:00Z","score":0.896,\#
        "categories":{"offplatform.payment":0.896,"evasion":0.5},"findings":[{"rule":"offplatform.pay_direct",\#
        "category":"offplatform.payment","weight":0.6,"field":"text","start":12,"end":27,"excerpt":\#
        "pay me directly","source":"lexicons/offplatform.yml:44"},{"rule":"evasion.hidden_text","category":\#
        "evasion","weight":0.5,"field":"text","start":12,"end":27,"excerpt":"pay me directly","source":\#
        "classifier:evasion.hidden_text"}],"text":"Love this!!\npay me directly","links":[{"url":"https://x.test/a",\#
        "host":"x.test"}],"policy":"sha256:abc","engine":"triage 0.1.0","source":{"file":"samples/html.jsonl",\#
        "line":3},"campaign":{"id":"c42","size":7,"authors":3}}}
        """#

    @Test func aScannedLineKeepsEveryField() throws {
        let queue = try TemporaryQueue()
        #expect(try queue.add([Self.scannedLine]).added == 1)
        let item = try #require(try queue.store.list(filter: .all).first)
        #expect(item.postID == "h_003")
        #expect(item.text == "Love this!!\npay me directly")
        #expect(item.action == "review")
        #expect(item.queue == "offplatform.payment")
        #expect(item.priority == "normal")
        #expect(item.dueAt == "2026-11-26T12:15:00Z")
        #expect(item.score == 0.896)
        #expect(item.categories == ["offplatform.payment": 0.896, "evasion": 0.5])
        #expect(item.findings.map(\.rule) == ["offplatform.pay_direct", "evasion.hidden_text"])
        #expect(
            item.findings.first
                == QueueFinding(
                    rule: "offplatform.pay_direct",
                    category: "offplatform.payment",
                    weight: 0.6,
                    field: "text",
                    start: 12,
                    end: 27,
                    excerpt: "pay me directly",
                    source: "lexicons/offplatform.yml:44"
                )
        )
        #expect(item.campaign == QueueCampaign(id: "c42", size: 7, authors: 3))
        #expect(item.policy == "sha256:abc")
        #expect(item.sourceFile == "samples/html.jsonl")
        #expect(item.sourceLine == 3)
        #expect(item.authorRole == "fan")
        #expect(item.surface == "comment")
    }

    @Test func theFixturesImportAsBefore() throws {
        let queue = try TemporaryQueue()
        try queue.add([
            VerdictFixtures.line(id: "p1", categories: ["a": 0.2, "b": 0.9], rules: ["r1", "r2", "r1"], sourceLine: 1)
        ])
        let item = try #require(try queue.store.list(filter: .all).first)
        #expect(item.categories == ["a": 0.2, "b": 0.9])
        #expect(item.findings.map(\.rule) == ["r1", "r2", "r1"])
        #expect(item.score == 0.74)
        #expect(item.text == "send it to my cashapp")
    }

    @Test func unicodeTextAndEscapes() throws {
        let queue = try TemporaryQueue()
        let line = #"""
            {"id":"u1","body":"caf\u00e9 \ud83d\ude0f na\u00efve \"q\" \\ \/ \t","moderation":{"action":"review",\#
            "findings":[{"rule":"r","category":"c","weight":1,"field":"body","start":0,"end":4,"excerpt":"café 😏",\#
            "source":"s"}]}}
            """#
        #expect(try queue.add([line]).added == 1)
        let item = try #require(try queue.store.list(filter: .all).first)
        #expect(item.text == "café 😏 naïve \"q\" \\ / \t")
        #expect(item.findings.first?.excerpt == "café 😏")
        #expect(item.findings.first?.weight == 1)
    }

    @Test func missingOptionalFieldsTakeTheirDefaults() throws {
        let queue = try TemporaryQueue()
        let result = try queue.add([
            #"{"id":7,"moderation":{"action":"block"}}"#,
            #"{"id":null,"body":{"html":"<p>x</p>"},"author":{"role":5},"surface":null,"error":null,"#
                + #""moderation":{"action":"review","queue":null,"text":"t","source":{"file":"f.jsonl"}}}"#,
        ])
        #expect(result.added == 2)
        #expect(result.invalid.isEmpty)
        let items = try queue.store.list(filter: .all).sorted { $0.key < $1.key }
        #expect(items.map(\.postID) == ["7", "f.jsonl:0"])
        #expect(items.map(\.text) == ["", "t"])
        #expect(items.map(\.priority) == ["normal", "normal"])
        #expect(items.allSatisfy { $0.categories.isEmpty && $0.findings.isEmpty && $0.campaign == nil })
        #expect(items.allSatisfy { $0.authorRole == nil && $0.surface == nil && $0.policy.isEmpty })
        #expect(items.map(\.sourceLine) == [nil, nil])
    }

    @Test(arguments: [
        (#"{"moderation":{"action":"review"}"#, "not a verdict: invalid JSON"),
        (#"{"id":"x","moderation":{"action":"review"}} x"#, "not a verdict: invalid JSON"),
        (#"{"id":"x","moderation":{"action":"review","score":01}}"#, "not a verdict: invalid JSON"),
        (#"{"id":"x","moderation":{"action":"review","text":"\x"}}"#, "not a verdict: invalid JSON"),
        (#"{"id":"x","moderation":{"action":"review","text":"\ud83d"}}"#, "not a verdict: invalid JSON"),
        (#"{"id":"x","skip":[1,2,],"moderation":{"action":"review"}}"#, "not a verdict: invalid JSON"),
        (#"["id"]"#, "not a verdict: wrong type at the top level"),
        (#"{"id":"x","moderation":{}}"#, "not a verdict: missing moderation.action"),
        (#"{"id":"x","moderation":{"action":null}}"#, "not a verdict: wrong type at moderation.action"),
        (#"{"id":true,"moderation":{"action":"review"}}"#, "not a verdict: wrong type at id"),
        (
            #"{"id":"x","moderation":{"action":"review","score":"high"}}"#,
            "not a verdict: wrong type at moderation.score"
        ),
        (
            #"{"id":"x","moderation":{"action":"review","findings":[{"rule":"r","category":"c","weight":1,"#
                + #""field":"body","start":"0","end":1,"excerpt":"","source":""}]}}"#,
            "not a verdict: wrong type at moderation.findings.0.start"
        ),
        (
            #"{"id":"x","moderation":{"action":"review","findings":[{"rule":"r"}]}}"#,
            "not a verdict: missing moderation.findings.0.category"
        ),
        (
            #"{"id":"x","moderation":{"action":"review","campaign":{"id":"c"}}}"#,
            "not a verdict: missing moderation.campaign.size"
        ),
        (#"{"id":"x","moderation":{"action":"maybe"}}"#, "unknown action 'maybe'"),
    ])
    func invalidLinesSayWhy(line: String, reason: String) throws {
        let queue = try TemporaryQueue()
        let result = try queue.add([VerdictFixtures.line(id: "ok", sourceLine: 1), line])
        #expect(result.added == 1)
        #expect(result.invalid == [ImportResult.InvalidLine(line: 2, reason: reason)])
    }

    @Test func invalidUTF8AndDeepNestingAreInvalidNotACrash() throws {
        let queue = try TemporaryQueue()
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        var badUTF8 = Array(#"{"id":"x","moderation":{"action":"review","text":""#.utf8)
        badUTF8 += [0xC3, 0x28] + Array(#""}}"#.utf8)
        let lines: [ArraySlice<UInt8>] = [
            ArraySlice(Array(#"{"id":"a","deep":\#(deep),"moderation":{"action":"review"}}"#.utf8)),
            ArraySlice(badUTF8),
        ]
        let result = try queue.store.importVerdicts(lines: lines, now: VerdictFixtures.base)
        #expect(result.invalid.map(\.line) == [1, 2])
        #expect(result.invalid.allSatisfy { $0.reason == "not a verdict: invalid JSON" })
    }

    /// Enough lines that the batch is parsed on several threads: items keep the input order, and every
    /// invalid line keeps its number.
    @Test func manyLinesKeepTheirOrderAndNumbers() throws {
        let queue = try TemporaryQueue()
        let lines = (1...12_000).map { n in
            n % 997 == 0 ? "{broken \(n)" : VerdictFixtures.line(id: "p\(n)", sourceLine: n)
        }
        let result = try queue.add(lines)
        let broken = (1...12_000).filter { $0 % 997 == 0 }
        #expect(result.invalid.map(\.line) == broken)
        #expect(result.added == 12_000 - broken.count)
        let items = try queue.store.list(filter: .all).sorted { $0.key < $1.key }
        #expect(items.map(\.sourceLine) == (1...12_000).filter { $0 % 997 != 0 })
    }
}
