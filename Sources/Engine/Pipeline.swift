public import Classification
public import Ingestion
internal import Matching
public import Moderation
public import Normalization
internal import Routing

/// The stages wired together: parse, normalize, analyze (lexicons and heuristics), decide.
///
/// Every stage is a pure function of one post, so a pipeline is shared by all workers; each worker brings its
/// own `Pipeline.Scratch` for the memory that must not be shared (PCRE2 match blocks, normalization caches).
public struct Pipeline: Sendable {
    /// The rules and policy.
    public let rules: RuleBook
    /// The parse stage.
    public let ingestor: Ingestor
    /// The normalize stage.
    public let normalizer: Normalizer
    /// The heuristic classifiers.
    public let classifier: Classifier
    /// The engine name and version every verdict carries.
    public static let engineVersion = "triage 0.1.0"
    /// Whether posts get a MinHash signature for campaign grouping (`--campaigns`).
    public var groupsCampaigns = false
    /// Most findings a verdict lists (`--max-findings`); the rest are counted in `omittedFindings`. A post
    /// that repeats an e-mail address fifty thousand times must not make a fifty-thousand-finding line.
    public var maxFindings = Pipeline.defaultMaxFindings
    /// The default of `maxFindings`.
    public static let defaultMaxFindings = 100

    public init(
        rules: RuleBook,
        ingestor: Ingestor = Ingestor(),
        normalizer: Normalizer = Normalizer(),
        classifier: Classifier = .standard
    ) {
        self.rules = rules
        self.ingestor = ingestor
        self.normalizer = normalizer
        self.classifier = classifier
    }

    /// Loads the rules in `directory` (with a policy overlay file, if given) and builds a pipeline with the
    /// standard stages.
    public static func load(lexicons directory: String, policyOverlay: String? = nil) throws(EngineError) -> Pipeline {
        let normalizer = Normalizer()
        let rules = try RuleBook.load(directory: directory, overlay: policyOverlay) { normalizer.normalize($0).bytes }
        return Pipeline(rules: rules, normalizer: normalizer, classifier: .standard(domains: rules.domains))
    }

    /// One worker's private memory, reused across posts.
    public struct Scratch: ~Copyable {
        var match: MatchScratch
        var normalization: NormalizationScratch

        public init(for pipeline: Pipeline) {
            match = pipeline.rules.lexicon.makeScratch()
            normalization = NormalizationScratch()
        }
    }

    /// Makes a worker's scratch memory.
    public func makeScratch() -> Scratch { Scratch(for: self) }

    /// Moderates one post.
    ///
    /// - Throws: `IngestionError` when the body cannot be read (HTML past the limits); the caller turns that
    ///   into an error record that goes to review.
    public func moderate(_ post: Post, using scratch: inout Scratch) throws(IngestionError) -> Moderated {
        let parsed = try ingestor.parse(post.body, format: post.format)
        var text = parsed.text
        let (findings, omittedHits, signature) = text.withUTF8 { original in
            analyze(original: original, parsed: parsed, context: post.context, using: &scratch)
        }
        // Scores and the action count every finding; only the list is capped.
        var verdict = rules.policy.decide(findings, context: post.context, createdAt: post.createdAt)
        Self.cap(&verdict, at: maxFindings)
        verdict.omittedFindings += omittedHits
        return Moderated(verdict: verdict, parsed: parsed, signature: signature)
    }

    /// Keeps at most `limit` findings in `verdict`, in order, plus the first finding of every rule not kept
    /// otherwise, so that each rule behind the action stays visible; counts the rest as omitted.
    static func cap(_ verdict: inout Verdict, at limit: Int) {
        guard verdict.findings.count > limit else { return }
        var rules = Set<String>()
        var kept: [Finding] = []
        for finding in verdict.findings where kept.count < limit || !rules.contains(finding.rule) {
            rules.insert(finding.rule)
            kept.append(finding)
        }
        verdict.omittedFindings += verdict.findings.count - kept.count
        verdict.findings = kept
    }

    private func analyze(
        original: UnsafeBufferPointer<UInt8>,
        parsed: ParsedBody,
        context: PostContext,
        using scratch: inout Scratch
    ) -> (findings: [Finding], omittedHits: Int, signature: MinHashSignature?) {
        let normalized = normalizer.normalize(parsed.text, using: &scratch.normalization)
        let isASCII = normalized.isIdentity
        var excerpts = ExcerptIndex(original: original, isASCII: isASCII)
        var findings: [Finding] = []
        let lexicon = rules.lexicon
        let result = normalized.bytes.withUnsafeBufferPointer { bytes in
            lexicon.hits(in: bytes, context: context, using: &scratch.match)
        }
        for hit in result.hits {
            let rule = lexicon.rules[hit.ruleIndex]
            let span = normalized.originalRange(forBytes: hit.range)
            findings.append(
                Finding(
                    rule: rule.id,
                    category: rule.category,
                    weight: rule.weight,
                    field: parsed.field,
                    start: span.lowerBound,
                    end: span.upperBound,
                    excerpt: excerpts.text(span),
                    source: rule.source
                )
            )
        }
        for hit in result.hits where hit.substitutions >= 2 {
            // Leetspeak, spaced-out letters or stretched words: the disguise is a signal of its own.
            let span = normalized.originalRange(forBytes: hit.range)
            findings.append(
                Finding(
                    rule: "evasion.disguised_term",
                    category: "evasion",
                    weight: 0.3,
                    field: parsed.field,
                    start: span.lowerBound,
                    end: span.upperBound,
                    excerpt: excerpts.text(span),
                    source: "classifier:evasion.disguised_term"
                )
            )
        }
        for source in result.limitsExceeded {
            // PCRE2 gave up on this text: a person must look, since a rule could not be evaluated.
            findings.append(
                Finding(
                    rule: "engine.limit",
                    category: "engine",
                    weight: 1,
                    field: parsed.field,
                    start: 0,
                    end: normalized.originalLength,
                    excerpt: excerpts.text(0..<normalized.originalLength),
                    source: source
                )
            )
        }
        let input = ClassifierInput(
            original: original,
            isASCII: isASCII,
            normalized: normalized,
            links: parsed.links,
            hiddenRanges: parsed.hiddenRanges,
            context: context
        )
        let policy = rules.policy
        var signals = classifier.signals(in: input)
        // Combinations look at everything that fired, lexicon and heuristics alike.
        if !findings.isEmpty || !signals.isEmpty {
            let fired =
                findings.map { (rule: $0.rule, category: $0.category, span: $0.start..<$0.end) }
                + signals.map { (rule: $0.rule, category: $0.category, span: $0.span) }
            signals += Combinations.signals(in: input, fired: fired)
        }
        for signal in signals {
            // `heuristics:` in policy.yml switches a heuristic off or changes its weight.
            let setting = policy.heuristicSetting(for: signal.rule)
            if setting?.isEnabled == false { continue }
            findings.append(
                Finding(
                    rule: signal.rule,
                    category: signal.category,
                    weight: setting?.weight ?? signal.weight,
                    field: parsed.field,
                    start: signal.span.lowerBound,
                    end: signal.span.upperBound,
                    excerpt: excerpts.text(signal.span),
                    source: "classifier:\(signal.rule)"
                )
            )
        }
        return (findings, result.omittedHits, groupsCampaigns ? MinHashSignature(of: normalized.bytes) : nil)
    }
}

/// A moderated post: the verdict and the parsed body its findings point into.
public struct Moderated: Sendable {
    /// The decision and its findings.
    public var verdict: Verdict
    /// The text that was analysed, with links and hidden ranges for HTML.
    public var parsed: ParsedBody
    /// The MinHash signature of the normalized text, for campaign grouping; `nil` for short texts.
    var signature: MinHashSignature?
}

/// Cuts excerpts out of the original text by code point offsets.
///
/// For non-ASCII text, the byte offset of every code point is found once, on the first excerpt, so a post
/// with many findings costs linear time.
struct ExcerptIndex {
    let original: UnsafeBufferPointer<UInt8>
    let isASCII: Bool
    private var scalarStarts: [Int]?

    init(original: UnsafeBufferPointer<UInt8>, isASCII: Bool) {
        self.original = original
        self.isASCII = isASCII
    }

    /// The original text of code points `span` (clamped to the text).
    mutating func text(_ span: Range<Int>) -> String {
        if isASCII {
            let clamped = span.clamped(to: 0..<original.count)
            return String(decoding: UnsafeBufferPointer(rebasing: original[clamped]), as: UTF8.self)
        }
        let starts = scalarStarts ?? Self.scalarStarts(of: original)
        scalarStarts = starts
        let clamped = span.clamped(to: 0..<(starts.count - 1))
        guard !clamped.isEmpty else { return "" }
        let bytes = starts[clamped.lowerBound]..<starts[clamped.upperBound]
        return String(decoding: UnsafeBufferPointer(rebasing: original[bytes]), as: UTF8.self)
    }

    /// The byte offset where each code point starts, and the text's length last.
    static func scalarStarts(of text: UnsafeBufferPointer<UInt8>) -> [Int] {
        var starts: [Int] = []
        starts.reserveCapacity(text.count + 1)
        for (offset, byte) in text.enumerated() where byte & 0xC0 != 0x80 { starts.append(offset) }
        starts.append(text.count)
        return starts
    }
}

extension Pipeline {
    /// Whether the policy lets campaigns be grouped: `spam.campaign` is not switched off in its `heuristics`.
    public var policyAllowsCampaigns: Bool {
        rules.policy.heuristicSetting(for: "spam.campaign")?.isEnabled != false
    }

    /// Distinct authors a campaign needs before its posts count as spam.
    public static let campaignAuthors = 3

    /// Whether a post copied by many authors would be spam: many fans copying the same praise is not; many
    /// authors copying a post that also carries a link, a handle, money or anything a rule flagged is.
    static func hasCampaignCue(_ moderated: Moderated) -> Bool {
        // `@` and `$` stand for handles and money; `/` for links written out.
        if !moderated.verdict.findings.isEmpty || !moderated.parsed.links.isEmpty { return true }
        var text = moderated.parsed.text
        // Over the contiguous bytes: the generic `String.UTF8View` walk cost more than the rest of the pass.
        return text.withUTF8 { bytes in
            bytes.contains { $0 == UInt8(ascii: "@") || $0 == UInt8(ascii: "$") || $0 == UInt8(ascii: "/") }
        }
    }

    /// Returns `moderated` as a member of `campaign`; once the campaign has `campaignAuthors` authors and the
    /// post carries a cue (a link, a handle, money, another finding), with a `spam.campaign` finding and the
    /// verdict decided again.
    public func joining(
        _ campaign: CampaignInfo,
        _ moderated: Moderated,
        context: PostContext,
        createdAt: String?
    ) -> Moderated {
        var result = moderated
        if campaign.authors >= Self.campaignAuthors, Self.hasCampaignCue(moderated) {
            let text = moderated.parsed.text
            let length = text.unicodeScalars.count
            var findings = moderated.verdict.findings
            findings.append(
                Finding(
                    rule: "spam.campaign",
                    category: "spam",
                    weight: rules.policy.heuristicSetting(for: "spam.campaign")?.weight ?? 0.6,
                    field: moderated.parsed.field,
                    start: 0,
                    end: length,
                    excerpt: text,
                    source: "classifier:spam.campaign"
                )
            )
            // A capped list still holds every rule, and a rule scores once, so the scores come out the same.
            result.verdict = rules.policy.decide(findings, context: context, createdAt: createdAt)
            result.verdict.omittedFindings = moderated.verdict.omittedFindings
        }
        result.verdict.campaign = campaign
        return result
    }

    /// Moderates `posts` on up to `workers` threads and returns the results in order; a post whose body
    /// cannot be read gets its error instead.
    public func moderateAll(_ posts: [Post], workers: Int) -> [Result<Moderated, IngestionError>] {
        inSlices(of: posts.count, workers: workers) { range in
            var scratch = makeScratch()
            return posts[range].map { post -> Result<Moderated, IngestionError> in
                do throws(IngestionError) {
                    return .success(try moderate(post, using: &scratch))
                } catch {
                    return .failure(error)
                }
            }
        }.flatMap { $0 }
    }
}
