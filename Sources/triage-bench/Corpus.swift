/// A deterministic generator of creator-platform posts for benchmarks: mostly benign chatter, with a share
/// of spam, scams, off-platform payment requests, harassment, HTML bodies and non-ASCII text, in the
/// proportions a busy platform sees.
struct Corpus {
    private var random: SplitMix64

    init(seed: UInt64) {
        random = SplitMix64(seed: seed)
    }

    static let openers = [
        "New set just dropped", "Thank you all for 10k", "Behind the scenes from today's shoot",
        "Q&A tonight at 8pm", "Can't believe how fast this month went", "Morning workout done",
        "Trying a new recipe", "Who's watching the game", "Finally finished editing", "Road trip vlog is up",
    ]
    static let middles = [
        "the lighting was perfect and the crew was amazing", "you all keep me going every single day",
        "let me know what you want to see next", "it took three tries but we got the shot",
        "subscribers get the full video in the morning", "I read every comment, promise",
        "my cat kept walking into frame lol", "the new camera is honestly a game changer",
        "drop your questions below and I'll answer them live",
        "this one is for the ones who have been here since day one",
    ]
    static let closers = [
        "love you all", "see you tomorrow", "xoxo", "more soon", "thanks for the support",
        "have a great weekend", "stay safe out there", "🙏", "❤️", "cheers",
    ]
    static let fanLines = [
        "you look amazing in this one", "this made my whole day", "when is the next live",
        "been a fan since the beginning", "the editing on this is so clean", "can you do a tutorial on this",
        "love the colours in the second photo", "how do you stay so motivated", "wow just wow", "best creator on here",
    ]
    static let flagged = [
        "send it to my cashapp $quickcash99 and I'll unlock everything",
        "your account will be suspended, verify your account within 24 hours at http://secure-login.example",
        "follow for follow, check my bio for free promo http://a.example http://b.example http://c.example",
        "you are a worthless idiot and everyone hates you",
        "add me on telegram for the real content, pay me directly",
        "congratulations you have won a free iphone, click the link to claim",
        "shut the fuck up nobody asked",
        "I will find you and make you pay",
    ]
    static let unicode = [
        "Café shoot in Paris — merci à tous ✨", "Nuevo video: ¡gracias por todo! 💃", "Спасибо за поддержку",
        "今日はありがとう", "Ｆｒｅｅ ｇｉｆｔ for the first 10 subscribers", "naïve résumé of the week 😅",
    ]

    static let vocabulary =
        ("today tonight tomorrow weekend morning evening honestly literally finally really totally maybe "
        + "again already always never still soon later super very quite pretty lowkey highkey vibes mood "
        + "energy season chapter episode moment memories dreams goals plans ideas stories photos clips "
        + "sunrise sunset ocean mountains forest city studio kitchen garden balcony rooftop backstage "
        + "blessed grateful excited tired hyped cozy chill wild calm proud lucky ready hungry sleepy").split(
            separator: " "
        ).map(String.init)

    /// Returns one JSON Lines record, without the newline.
    mutating func record(index: Int) -> String {
        let roll = random.next(100)
        var body: String
        if roll < 6 {
            body = pick(Self.flagged)
        } else if roll < 14 {
            body = pick(Self.unicode) + " " + pick(Self.middles)
        } else if roll < 45 {
            body = pick(Self.fanLines) + ", " + pick(Self.closers)
        } else {
            body = pick(Self.openers) + "! " + pick(Self.middles) + ". " + pick(Self.closers)
        }
        // Real posts are not copies of each other: a few words of their own make each one different enough
        // that campaign grouping (near-identical posts from many authors) leaves them alone.
        var words = body.split(separator: " ").map(String.init)
        for _ in 0..<4 {
            let word = Self.vocabulary[Int(random.next(UInt64(Self.vocabulary.count)))]
            words.insert(word, at: Int(random.next(UInt64(words.count + 1))))
        }
        body = words.joined(separator: " ")
        let isHTML = random.next(100) < 5
        if isHTML {
            body = "<p>\(body)</p><p><a href=\"https://example.com/p/\(index)\">see more</a></p>"
        }
        let isFan = roll < 45 || random.next(2) == 0
        let surface = isFan ? (random.next(3) == 0 ? "dm" : "comment") : "post"
        var json = "{\"id\":\"p_\(index)\",\"body\":"
        json += Self.quoted(body)
        if isHTML { json += ",\"format\":\"html\"" }
        json += ",\"author\":{\"id\":\"u_\(random.next(50_000))\",\"role\":\"\(isFan ? "fan" : "creator")\""
        json += ",\"account_age_days\":\(random.next(2_000))}"
        if isFan { json += ",\"to\":{\"id\":\"u_\(random.next(500))\",\"role\":\"creator\"}" }
        json += ",\"surface\":\"\(surface)\",\"created_at\":\"2026-11-24T10:\(String(format2: random.next(60))):00Z\""
        json += ",\"lang\":\"en\"}"
        return json
    }

    private mutating func pick(_ options: [String]) -> String {
        options[Int(random.next(UInt64(options.count)))]
    }

    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}

/// A small, fast, deterministic random number generator (Steele, Lea and Flood's SplitMix64).
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }

    /// A value in `0..<bound`.
    mutating func next(_ bound: UInt64) -> UInt64 { next() % bound }
}

extension String {
    /// Two digits, zero-padded.
    init(format2 value: UInt64) {
        self = value < 10 ? "0\(value)" : "\(value)"
    }
}
