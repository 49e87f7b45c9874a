public import Moderation

/// One lexicon rule: literal terms or a raw PCRE2 pattern, with the weight it adds to its category.
public struct Rule: Sendable {
    /// What a rule looks for.
    public enum Matcher: Sendable {
        /// Literal words and phrases, matched through normalization on word boundaries.
        case terms([String])
        /// A raw PCRE2 pattern, run caseless over the normalized text.
        case pattern(String)
        /// A rule that fires when other rules fired (SpamAssassin's meta rules).
        case composite(Composition)
    }

    /// The rule's unique id, such as `offplatform.cashapp`.
    public var id: String
    /// The category the rule scores.
    public var category: String
    /// How strongly one hit indicates the category, from 0 to 1.
    public var weight: Double
    /// What the rule is for, in the author's words.
    public var description: String
    /// What the rule looks for.
    public var matcher: Matcher
    /// Where the rule is written: `lexicons/offplatform.yml:14`.
    public var source: String
    /// Who, to whom and where the rule applies.
    public var scope: ContextScope
    /// Texts the rule must match (checked by `triage lint`).
    public var examples: [String]
    /// Texts the rule must not match (checked by `triage lint`).
    public var counterexamples: [String]
    /// Where the rule's `terms` or `pattern` is written, as `file:line:column`, for messages.
    public var matcherLocation: String
    /// Where each example is written, as `file:line:column`.
    public var exampleLocations: [String]
    /// Where each counterexample is written, as `file:line:column`.
    public var counterexampleLocations: [String]

    public init(
        id: String,
        category: String,
        weight: Double,
        description: String = "",
        matcher: Matcher,
        source: String,
        scope: ContextScope = ContextScope(),
        examples: [String] = [],
        counterexamples: [String] = [],
        matcherLocation: String? = nil,
        exampleLocations: [String] = [],
        counterexampleLocations: [String] = []
    ) {
        self.id = id
        self.category = category
        self.weight = weight
        self.description = description
        self.matcher = matcher
        self.source = source
        self.scope = scope
        self.examples = examples
        self.counterexamples = counterexamples
        self.matcherLocation = matcherLocation ?? source
        self.exampleLocations = exampleLocations
        self.counterexampleLocations = counterexampleLocations
    }
}

/// A rule that fired, over a byte range of the normalized text.
public struct Hit: Sendable, Hashable {
    /// Index of the rule in `Lexicon.rules`.
    public var ruleIndex: Int
    /// UTF-8 byte range in the normalized text.
    public var range: Range<Int>
    /// How many disguised letters (leetspeak, separators, repeats) the match read through.
    public var substitutions: Int

    public init(ruleIndex: Int, range: Range<Int>, substitutions: Int = 0) {
        self.ruleIndex = ruleIndex
        self.range = range
        self.substitutions = substitutions
    }
}

/// The condition of a composite rule, over the ids of other rules.
///
/// It fires when every rule of `allOf` fired, at least `minimumOfAnyOf` rules of `anyOf` fired, and no rule of
/// `noneOf` fired; with `withinWords`, the hits of `allOf` and `anyOf` it counts must lie within that many
/// words of one another.
public struct Composition: Sendable, Hashable {
    /// Rules that must all fire.
    public var allOf: [String]
    /// Rules of which at least `minimumOfAnyOf` must fire.
    public var anyOf: [String]
    /// How many rules of `anyOf` must fire (1 when `anyOf` is given and nothing else is said).
    public var minimumOfAnyOf: Int
    /// Rules that must not fire.
    public var noneOf: [String]
    /// The most words apart the counted hits may be, or `nil` for anywhere in the post.
    public var withinWords: Int?

    public init(
        allOf: [String] = [],
        anyOf: [String] = [],
        minimumOfAnyOf: Int = 0,
        noneOf: [String] = [],
        withinWords: Int? = nil
    ) {
        self.allOf = allOf
        self.anyOf = anyOf
        self.minimumOfAnyOf = minimumOfAnyOf
        self.noneOf = noneOf
        self.withinWords = withinWords
    }
}
