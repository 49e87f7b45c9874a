public import Classification
internal import Crypto
internal import Dispatch
internal import Foundation
public import Matching
public import Routing
internal import Synchronization

/// Why the engine could not start.
public enum EngineError: Error, CustomStringConvertible {
    /// No lexicon folder was found; `searched` lists the places looked at, in order.
    case lexiconsNotFound(searched: [String])
    /// A file could not be read.
    case unreadable(path: String, reason: String)
    /// The folder has no `policy.yml`.
    case missingPolicy(directory: String)
    /// A lexicon is invalid.
    case lexicon(MatchingError)
    /// The policy is invalid.
    case policy(RoutingError)
    /// The domain list (`domains.yml`) is invalid.
    case domains(ClassificationError)

    public var description: String {
        switch self {
        case .lexiconsNotFound(let searched):
            "no lexicons folder found; looked in: \(searched.joined(separator: ", ")) "
                + "(pass --lexicons DIR or set TRIAGE_LEXICONS)"
        case .unreadable(let path, let reason): "\(path): cannot read: \(reason)"
        case .missingPolicy(let directory): "\(directory): no policy.yml in the lexicons folder"
        case .lexicon(let error): error.description
        case .policy(let error): error.description
        case .domains(let error): error.description
        }
    }
}

/// The rules and policy that decide, loaded from one lexicons folder, with the hash that names them.
public struct RuleBook: Sendable {
    /// The compiled lexicon rules.
    public let lexicon: Lexicon
    /// The routing policy.
    public let policy: Policy
    /// The blocked and allowed link domains from `domains.yml`; empty when the folder has none.
    public let domains: DomainList
    /// `sha256:` of every file that decides, so any verdict can be replayed with the same rules.
    public let hash: String
    /// The folder the rules came from.
    public let directory: String

    /// Loads every `*.yml` in `directory` as a lexicon, `policy.yml` as the policy (with the policy overlay
    /// file `overlay`, if any, applied on top) and `domains.yml`, if there is one, as the domain list.
    public static func load(
        directory: String,
        overlay: String? = nil,
        normalizer: @escaping @Sendable (String) -> [UInt8]
    ) throws(EngineError) -> RuleBook {
        let folder = try RuleFolder(directory: directory)
        var digest = folder.digest
        guard let policyText = folder.policyText else { throw .missingPolicy(directory: directory) }
        var overlayText: String?
        if let overlay {
            do {
                overlayText = try String(contentsOfFile: overlay, encoding: .utf8)
            } catch {
                throw .unreadable(path: overlay, reason: error.localizedDescription)
            }
            // The overlay decides too: it is part of the hash that names the rules.
            digest.update(data: Data("overlay".utf8) + [0] + Data((overlayText ?? "").utf8) + [0])
        }
        // The domain list and the policy are read on a thread of their own while the lexicons compile, the
        // longest part of start-up. Not on Dispatch's pool: a task there may wait for a free thread, and the
        // lexicon's own `concurrentPerform` would run serially if nested in another one.
        let (prefix, lexiconFiles, domainsText) = (folder.prefix, folder.lexiconFiles, folder.domainsText)
        let overlayFile = overlayText.map { (path: overlay ?? "", text: $0) }
        let read = Mutex<(Result<DomainList, EngineError>, Result<Policy, EngineError>)?>(nil)
        let readDone = DispatchSemaphore(value: 0)
        Thread {
            let domains = Result { () throws(EngineError) in
                try Self.domains(domainsText, file: "\(prefix)/domains.yml")
            }
            let policy = Result { () throws(EngineError) in
                try Self.policy(policyText, file: "\(prefix)/policy.yml", overlay: overlayFile)
            }
            read.withLock { $0 = (domains, policy) }
            readDone.signal()
        }.start()
        let lexicon = Result { () throws(EngineError) -> Lexicon in
            do throws(MatchingError) {
                return try Lexicon(try RuleSet(files: lexiconFiles), normalize: normalizer)
            } catch {
                throw .lexicon(error)
            }
        }
        readDone.wait()
        // Both parts are done. Problems are reported in the order the files were always read: the domain
        // list, the lexicons, the policy.
        guard let (domains, policy) = read.withLock({ $0 }) else { preconditionFailure("the reading signalled") }
        let (domainList, lexiconRules, decided) = (try domains.get(), try lexicon.get(), try policy.get())
        let hex = digest.finalize().map { String(format: "%02x", $0) }.joined()
        return RuleBook(
            lexicon: lexiconRules,
            policy: decided,
            domains: domainList,
            hash: "sha256:" + hex,
            directory: directory
        )
    }

    /// The domain list of `text` (`domains.yml`), or the empty one when the folder has none.
    private static func domains(_ text: String?, file: String) throws(EngineError) -> DomainList {
        guard let text else { return .empty }
        do throws(ClassificationError) {
            return try DomainList(parsing: text, file: file)
        } catch {
            throw .domains(error)
        }
    }

    /// The policy of `text`, with the overlay file's text applied on top when there is one.
    private static func policy(
        _ text: String,
        file: String,
        overlay: (path: String, text: String)?
    ) throws(EngineError) -> Policy {
        do throws(RoutingError) {
            let policy = try Policy(parsing: text, file: file)
            guard let overlay else { return policy }
            return try policy.applying(overlay: overlay.text, file: overlay.path)
        } catch {
            throw .policy(error)
        }
    }

    /// Finds the lexicons folder: `explicit`, else `$TRIAGE_LEXICONS`, else a `lexicons` folder beside the
    /// executable or up to four levels above it (an installation or a build tree), else `./lexicons`.
    public static func locate(explicit: String?, executablePath: String) throws(EngineError) -> String {
        if let explicit { return explicit }
        let environment = ProcessInfo.processInfo.environment
        if let fromEnvironment = environment["TRIAGE_LEXICONS"], !fromEnvironment.isEmpty { return fromEnvironment }
        var searched: [String] = []
        var folder = URL(fileURLWithPath: executablePath).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            for candidate in [
                folder.appendingPathComponent("lexicons"), folder.appendingPathComponent("share/triage/lexicons"),
            ] {
                searched.append(candidate.path)
                if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("policy.yml").path) {
                    return candidate.path
                }
            }
            folder = folder.deletingLastPathComponent()
        }
        let local = FileManager.default.currentDirectoryPath + "/lexicons"
        searched.append(local)
        if FileManager.default.fileExists(atPath: local + "/policy.yml") { return local }
        throw .lexiconsNotFound(searched: searched)
    }
}

/// The files of a lexicons folder, read once: the lexicons, the policy, the domain list, and the hash of
/// them all.
struct RuleFolder {
    /// The lexicon files, by name.
    var lexiconFiles: [LexiconFile] = []
    /// The text of `policy.yml`, when there is one.
    var policyText: String?
    /// The text of `domains.yml`, when there is one: link domains, not a lexicon, but it decides too.
    var domainsText: String?
    /// The folder's own name, which findings cite (`lexicons/hate.yml:14`) wherever it is installed.
    var prefix: String
    /// SHA-256 over every file's name and contents, in name order.
    var digest = SHA256()

    init(directory: String) throws(EngineError) {
        let url = URL(fileURLWithPath: directory, isDirectory: true)
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
                .filter { $0.hasSuffix(".yml") || $0.hasSuffix(".yaml") }
                .sorted()
        } catch {
            throw .unreadable(path: directory, reason: error.localizedDescription)
        }
        prefix = url.standardizedFileURL.lastPathComponent
        for name in names {
            let path = url.appendingPathComponent(name).path
            let contents: String
            do {
                contents = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw .unreadable(path: path, reason: error.localizedDescription)
            }
            digest.update(data: Data(name.utf8) + [0] + Data(contents.utf8) + [0])
            if name == "policy.yml" || name == "policy.yaml" {
                policyText = contents
            } else if name == "domains.yml" || name == "domains.yaml" {
                domainsText = contents
            } else {
                lexiconFiles.append(LexiconFile(name: "\(prefix)/\(name)", contents: contents))
            }
        }
    }
}
