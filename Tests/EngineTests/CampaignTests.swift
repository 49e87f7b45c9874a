import Engine
import Foundation
import Testing

/// Near-identical posts from different authors are grouped into campaigns, in input order.
struct CampaignTests {
    /// 30 near-identical posts from 30 authors, interleaved with 1,000 unrelated posts.
    static func stream() -> [String] {
        var lines: [String] = []
        // Unrelated posts: random sentences from a small vocabulary, as different as real posts are.
        let words =
            ("the a my your this that new old happy sad long short day night week set video photo shoot live "
            + "stream coffee tea gym run walk cat dog rain sun beach city park book song movie game show "
            + "love like enjoy miss want need make take see watch read play cook bake paint write sing dance").split(
                separator: " "
            ).map(String.init)
        var state: UInt64 = 42
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        for index in 0..<1_000 {
            let body = (0..<(10 + next(8))).map { _ in words[next(words.count)] }.joined(separator: " ")
            lines.append(#"{"id":"u\#(index)","body":"\#(body)","author":{"id":"a\#(index)","role":"fan"}}"#)
        }
        for copy in 0..<30 {
            // The same pitch with small changes: a different handle and an extra word now and then.
            let extra = copy % 3 == 0 ? " now" : ""
            let body =
                "Hey gorgeous, I have an amazing offer for your page, real growth and more fans, message me\(extra) @promo\(copy)"
            lines.insert(
                #"{"id":"c\#(copy)","body":"\#(body)","author":{"id":"spammer\#(copy)","role":"fan"}}"#,
                at: copy * 34 + 5
            )
        }
        return lines
    }

    static func processor() throws -> RecordProcessor {
        var pipeline = try RecordProcessorTests.loaded.get()
        pipeline.groupsCampaigns = true
        return RecordProcessor(pipeline: pipeline, format: .jsonl, sourceName: "stdin", maxRecordBytes: 4096)
    }

    static func run(_ lines: [String], workers: Int) throws -> [[String: Any]] {
        let processor = try Self.processor()
        let output = processor.process(RecordProcessorTests.batch(lines), workers: workers)
        return try RecordProcessorTests.lines(output).map {
            try #require(try JSONSerialization.jsonObject(with: Data($0)) as? [String: Any])
        }
    }

    @Test func nearIdenticalPostsFromManyAuthorsFormOneFlaggedGroup() throws {
        let records = try Self.run(Self.stream(), workers: 2)
        #expect(records.count == 1_030)
        let copies = records.filter { ($0["id"] as? String)?.hasPrefix("c") == true }
        let campaigns = Set(
            copies.compactMap {
                (($0["moderation"] as? [String: Any])?["campaign"] as? [String: Any])?["id"] as? String
            }
        )
        #expect(copies.count == 30)
        #expect(campaigns.count == 1, "\(campaigns)")
        // The first posts have no group yet; from the third author on, the group is spam to review.
        let sizes = copies.compactMap {
            (($0["moderation"] as? [String: Any])?["campaign"] as? [String: Any])?["size"] as? Int
        }
        #expect(sizes.count >= 28)
        #expect(sizes == sizes.sorted() && sizes.last ?? 0 >= 28, "\(sizes)")
        let flagged = copies.filter { (($0["moderation"] as? [String: Any])?["action"] as? String) == "review" }
        #expect(flagged.count >= 27)
        let others = records.filter { ($0["id"] as? String)?.hasPrefix("u") == true }
        #expect(others.count == 1_000)
        #expect(others.allSatisfy { ($0["moderation"] as? [String: Any])?["campaign"] == nil })
        #expect(others.allSatisfy { (($0["moderation"] as? [String: Any])?["action"] as? String) == "allow" })
    }

    @Test func groupsDoNotDependOnTheNumberOfWorkers() throws {
        let lines = Self.stream()
        let one = try Self.processor().process(RecordProcessorTests.batch(lines), workers: 1)
        let four = try Self.processor().process(RecordProcessorTests.batch(lines), workers: 4)
        #expect(one.bytes == four.bytes)
    }

    /// Copies without a cue (fans posting the same praise) stay allowed, but each still carries its campaign:
    /// a moderator looking at a wave must see all of it, not only the flagged part.
    @Test func allowedCopiesCarryTheirCampaignToo() throws {
        let lines = (0..<5).map { author in
            #"{"id":"p\#(author)","body":"this was such a lovely stream tonight thank you so much for it","author":{"id":"fan\#(author)","role":"fan"}}"#
        }
        let records = try Self.run(lines, workers: 2)
        let moderations = records.compactMap { $0["moderation"] as? [String: Any] }
        #expect(moderations.map { $0["action"] as? String } == Array(repeating: "allow", count: 5))
        let sizes = moderations.map { ($0["campaign"] as? [String: Any])?["size"] as? Int }
        #expect(sizes == [nil, 2, 3, 4, 5])
    }

    /// The campaign pass adds the campaign to a line without encoding it again: the line must be what the
    /// encoder writes for the same verdict (the first member's line is encoded once it has a group).
    @Test func splicedCampaignMatchesTheEncodedOne() throws {
        let stream = Self.stream()
        let output = try Self.processor().process(RecordProcessorTests.batch(stream), workers: 2)
        for line in try RecordProcessorTests.lines(output) {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
            let moderation = try #require(object["moderation"] as? [String: Any])
            // `campaign` is the last member of `moderation` whichever way the line was written.
            if moderation["campaign"] != nil {
                #expect(String(decoding: line, as: UTF8.self).hasSuffix("}}}"))
            }
        }
    }

    @Test func campaignsAreOffUnlessAskedFor() throws {
        let processor = try RecordProcessorTests.processor()
        let output = processor.process(RecordProcessorTests.batch(Self.stream()), workers: 2)
        #expect(!String(decoding: output.bytes, as: UTF8.self).contains(#""campaign""#))
    }
}
