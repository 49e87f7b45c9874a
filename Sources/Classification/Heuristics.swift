public import Moderation

/// Flags posts written mostly in capitals: at least 20 letters, 70% or more of them upper case.
public struct ShoutingHeuristic: Heuristic {
    public let name = "heuristic.shouting"
    public init() {}

    public func signals(in input: borrowing ClassifierInput) -> [Signal] {
        let shape = input.shape
        guard shape.letters >= 20, shape.uppercase * 10 >= shape.letters * 7 else { return [] }
        return [Signal(rule: name, category: "spam", weight: 0.2, span: 0..<input.normalized.originalLength)]
    }
}

/// Flags a character repeated ten or more times in a row (`!!!!!!!!!!`, `$$$$$$$$$$`).
public struct RepeatedCharacterHeuristic: Heuristic {
    public let name = "heuristic.repetition"
    public init() {}

    public func signals(in input: borrowing ClassifierInput) -> [Signal] {
        let run = input.shape.longestRun
        guard run.count >= 10 else { return [] }
        return [Signal(rule: name, category: "spam", weight: 0.2, span: input.normalized.originalRange(forBytes: run))]
    }
}

/// Flags posts dense with links: three or more `http://`, `https://` or `www.` links (or HTML links).
public struct LinkDensityHeuristic: Heuristic {
    public let name = "heuristic.link_density"
    public init() {}

    public func signals(in input: borrowing ClassifierInput) -> [Signal] {
        let starts = input.shape.linkStarts
        let count = max(starts.count, input.links.count)
        guard count >= 3, let first = starts.first ?? (input.links.isEmpty ? nil : 0) else { return [] }
        let span = input.normalized.originalRange(forBytes: first..<min(input.normalized.bytes.count, first + 4))
        return [Signal(rule: name, category: "spam", weight: count >= 5 ? 0.6 : 0.4, span: span)]
    }

    /// Byte offsets where a link starts: the scheme before each `://`, or each `www.`.
    static func linkStarts(in bytes: UnsafeBufferPointer<UInt8>) -> [Int] {
        var starts: [Int] = []
        var index = 0
        let count = bytes.count
        while index + 4 <= count {
            let byte = bytes[index]
            if byte == 0x3A, index + 2 < count, bytes[index + 1] == 0x2F, bytes[index + 2] == 0x2F {
                var scheme = index
                while scheme > 0, (bytes[scheme - 1] | 0x20) &- 0x61 < 26 { scheme -= 1 }
                if scheme < index { starts.append(scheme) }
                index += 3
                continue
            }
            if byte == 0x77, bytes[index + 1] == 0x77, bytes[index + 2] == 0x77, bytes[index + 3] == 0x2E,
                index == 0 || bytes[index - 1] != 0x2F
            {
                starts.append(index)
                index += 4
                continue
            }
            index += 1
        }
        return starts
    }
}

/// Flags HTML that hides text from readers with inline CSS: hiding text from people is itself a signal.
public struct HiddenTextHeuristic: Heuristic {
    public let name = "evasion.hidden_text"
    public init() {}

    public func signals(in input: borrowing ClassifierInput) -> [Signal] {
        input.hiddenRanges.map { Signal(rule: name, category: "evasion", weight: 0.5, span: $0) }
    }
}

/// Flags the disguises normalization undid: invisible characters inside words and words that mix
/// scripts (`pаypal` with a Cyrillic `а`). Each is evidence of intent, whatever the word turns out to be.
public struct EvasionHeuristic: Heuristic {
    public let name = "evasion"
    public init() {}

    public func signals(in input: borrowing ClassifierInput) -> [Signal] {
        let evasion = input.normalized.evasion
        var signals: [Signal] = []
        for span in evasion.invisibleSpans {
            signals.append(Signal(rule: "evasion.invisible_characters", category: "evasion", weight: 0.4, span: span))
        }
        for span in evasion.mixedScriptWords {
            signals.append(Signal(rule: "evasion.mixed_script", category: "evasion", weight: 0.4, span: span))
        }
        return signals
    }
}

/// Flags a link whose visible text names one site while its target is another (`paypal.com` linking to
/// `paypa1-secure.xyz`): the classic phishing trick.
public struct LinkMismatchHeuristic: Heuristic {
    public let name = "scam.link_mismatch"
    public init() {}

    public func signals(in input: borrowing ClassifierInput) -> [Signal] {
        var signals: [Signal] = []
        for link in input.links where link.anchorText.utf8.contains(0x2E) {
            guard let target = Self.host(ofURL: link.target), let shown = Self.domain(in: link.anchorText) else {
                continue
            }
            if !Self.sameSite(target, shown) {
                signals.append(Signal(rule: name, category: "scam", weight: 0.5, span: link.anchorRange))
            }
        }
        return signals
    }

    /// The lower-cased host of an absolute `http(s)` URL, without `www.`.
    static func host(ofURL url: String) -> String? {
        let lowered = url.lowercased()
        let rest: Substring
        if lowered.hasPrefix("https://") {
            rest = lowered.dropFirst(8)
        } else if lowered.hasPrefix("http://") {
            rest = lowered.dropFirst(7)
        } else {
            return nil
        }
        var host = rest.prefix { !"/?#:".contains($0) }
        if let at = host.lastIndex(of: "@") { host = host[host.index(after: at)...] }  // user@host
        return host.isEmpty ? nil : strippingWWW(String(host))
    }

    /// The first thing in `text` shaped like a domain name (`example.com`, `www.paypal.com/login`).
    static func domain(in text: String) -> String? {
        let lowered = text.lowercased()
        let tokens = lowered.split { !($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }
        for token in tokens {
            let labels = token.split(separator: ".", omittingEmptySubsequences: false)
            guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty }), let tld = labels.last, tld.count >= 2,
                tld.allSatisfy(\.isLetter)
            else { continue }
            return strippingWWW(String(token))
        }
        return nil
    }

    static func sameSite(_ a: String, _ b: String) -> Bool {
        a == b || a.hasSuffix("." + b) || b.hasSuffix("." + a)
    }

    private static func strippingWWW(_ host: String) -> String {
        host.hasPrefix("www.") ? String(host.dropFirst(4)) : host
    }
}
