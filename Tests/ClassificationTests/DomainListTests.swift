import Classification
import Testing

/// Reading `domains.yml` and looking hosts up in it.
struct DomainListTests {
    static func parse(_ yaml: String) throws(ClassificationError) -> DomainList {
        try DomainList(parsing: yaml, file: "lexicons/domains.yml")
    }

    @Test func readsBlockAndAllowEntries() throws {
        let list = try Self.parse(
            """
            # a comment
            block:
              - {domain: Grabify.Link, category: scam, weight: 0.9, note: "IP logger"}
              - {domain: spam.example, category: spam.link, weight: 0.3}
            allow:
              - onlyfans.com
            """
        )
        #expect(
            list.blocked["grabify.link"]
                == DomainList.Entry(
                    domain: "grabify.link",
                    category: "scam",
                    weight: 0.9,
                    note: "IP logger",
                    source: "lexicons/domains.yml:3"
                )
        )
        #expect(list.blocked["spam.example"]?.note == nil)
        #expect(list.allowed == ["onlyfans.com"])
    }

    @Test(arguments: ["", "# nothing yet\n", "block:\nallow:\n"])
    func emptyFilesAreEmptyLists(yaml: String) throws {
        #expect(try Self.parse(yaml).isEmpty)
    }

    @Test(arguments: [
        (
            "blocks:\n  - {domain: a.example, category: scam, weight: 0.5}\n",
            "lexicons/domains.yml:1:1", "unknown key 'blocks'; did you mean 'block'?"
        ),
        (
            "block:\n  - {domain: a.example, category: scam, wieght: 0.5}\n",
            "lexicons/domains.yml:2:41", "unknown key 'wieght'; did you mean 'weight'?"
        ),
        (
            "block:\n  - {domain: a.example, category: scam, weight: 1.5}\n",
            "lexicons/domains.yml:2:49", "weight must be above 0 and at most 1"
        ),
        (
            "block:\n  - {domain: a.example, weight: 0.5}\n",
            "lexicons/domains.yml:2:5", "a block entry needs 'category'"
        ),
        (
            "block:\n  - {domain: a.example, category: Scam!, weight: 0.5}\n",
            "lexicons/domains.yml:2:35",
            "a category is lower case letters, '_' and '.', such as scam or spam.link"
        ),
        (
            "block:\n  - grabify.link\n",
            "lexicons/domains.yml:2:5", "a block entry is {domain: …, category: …, weight: …}, not a bare domain"
        ),
        (
            "block:\n  - {domain: 'https://grabify.link/', category: scam, weight: 0.9}\n",
            "lexicons/domains.yml:2:14",
            "'https://grabify.link/': write the domain alone, without a scheme, port or path"
        ),
        (
            "allow:\n  - onlyfans\n",
            "lexicons/domains.yml:2:5", "'onlyfans': a domain needs at least two labels, such as grabify.link"
        ),
        (
            "allow:\n  - yoütu.be\n",
            "lexicons/domains.yml:2:5", "'yoütu.be': write an internationalized domain in its xn-- form"
        ),
        (
            "allow:\n  - bad_name.example\n",
            "lexicons/domains.yml:2:5", "'bad_name.example': a label has only letters, digits and inner hyphens"
        ),
        (
            "allow:\n  - {domain: onlyfans.com}\n",
            "lexicons/domains.yml:2:5", "an allow entry is a domain, such as patreon.com"
        ),
        (
            "block:\n  - {domain: a.example, category: scam, weight: 0.5}\nallow:\n  - A.example\n",
            "lexicons/domains.yml:4:5", "'a.example' is already listed at lexicons/domains.yml:2"
        ),
        (
            "block: [\n",
            "lexicons/domains.yml:2:1", "YAML: did not find expected node content"
        ),
    ])
    func problemsSayWhere(yaml: String, location: String, reason: String) {
        #expect(throws: ClassificationError.invalidDomainList(location: location, reason: reason)) {
            try Self.parse(yaml)
        }
    }

    @Test func aDomainCoversItsSubdomainsButNotASuffix() {
        let entry = DomainList.Entry(domain: "grabify.link", category: "scam", weight: 0.9)
        let list = DomainList(blocked: [entry], allowed: ["onlyfans.com"])
        #expect(list.listing(ofHost: "grabify.link") == .blocked(entry))
        #expect(list.listing(ofHost: "a.b.grabify.link") == .blocked(entry))
        #expect(list.listing(ofHost: "notgrabify.link") == .unlisted)
        #expect(list.listing(ofHost: "grabify.link.example") == .unlisted)
        #expect(list.isAllowed(host: "www.onlyfans.com"))
        #expect(!list.isAllowed(host: "onlyfans.com.evil.example"))
    }

    @Test func theLongerListedDomainDecides() {
        let entry = DomainList.Entry(domain: "evil.platform.example", category: "scam", weight: 0.8)
        let list = DomainList(blocked: [entry], allowed: ["platform.example"])
        #expect(list.listing(ofHost: "x.evil.platform.example") == .blocked(entry))
        #expect(list.listing(ofHost: "good.platform.example") == .allowed)
    }
}
