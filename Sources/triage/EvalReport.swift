internal import Foundation
internal import Moderation

/// Counts for `triage eval`: actions per label, flagging scores, and each rule's hits.
struct EvalReport {
    let expected: [String: Triage.Eval.Expected]
    private var counts: [String: [Action: Int]] = [:]
    private var truePositives = 0
    private var falsePositives = 0
    private var falseNegatives = 0
    private var trueNegatives = 0
    private var ruleHits: [String: (positive: Int, negative: Int, other: Int)] = [:]

    init(expected: [String: Triage.Eval.Expected]) {
        self.expected = expected
    }

    mutating func add(label: String, action: Action, rules: Set<String>) {
        counts[label, default: [:]][action, default: 0] += 1
        let wantsFlag = expected[label]?.wantsFlag
        let flagged = action != .allow
        switch (wantsFlag, flagged) {
        case (true, true): truePositives += 1
        case (true, false): falseNegatives += 1
        case (false, true): falsePositives += 1
        case (false, false): trueNegatives += 1
        default: break
        }
        for rule in rules {
            var hits = ruleHits[rule, default: (0, 0, 0)]
            switch wantsFlag {
            case true: hits.positive += 1
            case false: hits.negative += 1
            default: hits.other += 1
            }
            ruleHits[rule] = hits
        }
    }

    func render() -> String {
        var lines: [String] = []
        lines.append("")
        lines.append(
            "label".rightPadded(to: 14) + "expected".rightPadded(to: 10) + "allow".leftPadded(to: 8)
                + "review".leftPadded(to: 8) + "block".leftPadded(to: 8) + "flagged".leftPadded(to: 10)
        )
        for label in counts.keys.sorted() {
            let row = counts[label] ?? [:]
            let total = row.values.reduce(0, +)
            let flagged = (row[.review] ?? 0) + (row[.block] ?? 0)
            lines.append(
                label.rightPadded(to: 14) + (expected[label]?.rawValue ?? "-").rightPadded(to: 10)
                    + "\(row[.allow] ?? 0)".leftPadded(to: 8) + "\(row[.review] ?? 0)".leftPadded(to: 8)
                    + "\(row[.block] ?? 0)".leftPadded(to: 8) + Self.percent(flagged, of: total).leftPadded(to: 10)
            )
        }
        let precision = Double(truePositives) / Double(max(1, truePositives + falsePositives))
        let recall = Double(truePositives) / Double(max(1, truePositives + falseNegatives))
        let f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
        lines.append("")
        lines.append(
            String(
                format: "flagging: precision %.3f  recall %.3f  F1 %.3f  (TP %d, FP %d, FN %d, TN %d)",
                precision,
                recall,
                f1,
                truePositives,
                falsePositives,
                falseNegatives,
                trueNegatives
            )
        )
        lines.append("")
        lines.append(
            "rule".rightPadded(to: 40) + "should-flag".leftPadded(to: 12) + "should-allow".leftPadded(to: 13)
                + "other".leftPadded(to: 7) + "S/O".leftPadded(to: 7)
        )
        let ranked = ruleHits.sorted {
            ($0.value.positive + $0.value.negative + $0.value.other, $1.key) > (
                $1.value.positive + $1.value.negative + $1.value.other, $0.key
            )
        }
        for (rule, hits) in ranked.prefix(40) {
            let ratio =
                hits.positive + hits.negative == 0
                ? "-" : String(format: "%.2f", Double(hits.positive) / Double(hits.positive + hits.negative))
            lines.append(
                rule.rightPadded(to: 40) + "\(hits.positive)".leftPadded(to: 12) + "\(hits.negative)".leftPadded(to: 13)
                    + "\(hits.other)".leftPadded(to: 7) + ratio.leftPadded(to: 7)
            )
        }
        if ranked.count > 40 { lines.append("(\(ranked.count - 40) more rules)") }
        return lines.joined(separator: "\n")
    }

    static func percent(_ part: Int, of total: Int) -> String {
        String(format: "%.1f%%", total == 0 ? 0 : 100 * Double(part) / Double(total))
    }
}

/// Reads labelled records from JSON Lines, TSV or CSV files.
enum LabelledRecords {
    struct ReadError: Error, CustomStringConvertible {
        var description: String
    }

    static func read(
        path: String,
        labelColumn: String,
        textColumn: String?,
        defaultLabel: String?
    ) throws
        -> [(label: String, text: String)]
    {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReadError(description: "\(path): cannot read")
        }
        let text = String(decoding: data, as: UTF8.self)
        if path.hasSuffix(".jsonl") || path.hasSuffix(".ndjson") {
            var records: [(String, String)] = []
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where !line.trimmingCharacters(in: .whitespaces).isEmpty {
                guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                    let body = object[textColumn ?? "body"] as? String ?? object["text"] as? String
                else { throw ReadError(description: "\(path):\(number + 1): not a JSON object with a text field") }
                guard let label = object[labelColumn] as? String ?? defaultLabel else {
                    throw ReadError(description: "\(path):\(number + 1): no '\(labelColumn)' field")
                }
                records.append((label, body))
            }
            return records
        }
        let separator: Character = path.hasSuffix(".csv") ? "," : "\t"
        // Rows split on the scalar \n: in Swift a CRLF is one Character, and it must end a row too.
        let rows =
            separator == ","
            ? csvRows(text)
            : text.unicodeScalars.split(separator: "\n").map { line in
                let row = line.last == "\r" ? line.dropLast() : line[...]
                return row.split(separator: "\t", omittingEmptySubsequences: false).map {
                    String(String.UnicodeScalarView($0))
                }
            }
        guard let header = rows.first else { return [] }
        let textIndex = header.firstIndex(of: textColumn ?? "text") ?? header.firstIndex(of: "body")
        guard let textIndex else { throw ReadError(description: "\(path):1: no '\(textColumn ?? "text")' column") }
        let labelIndex = header.firstIndex(of: labelColumn)
        if labelIndex == nil, defaultLabel == nil {
            throw ReadError(description: "\(path):1: no '\(labelColumn)' column (give --default-label)")
        }
        var records: [(String, String)] = []
        for (number, row) in rows.dropFirst().enumerated() {
            guard row.count > textIndex, labelIndex.map({ row.count > $0 }) ?? true else {
                throw ReadError(description: "\(path):\(number + 2): fewer columns than the header")
            }
            records.append((labelIndex.map { row[$0] } ?? defaultLabel ?? "", row[textIndex]))
        }
        return records
    }

    /// RFC 4180 rows: quoted fields may hold commas, quotes (doubled) and line breaks.
    static func csvRows(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var iterator = text.makeIterator()
        while let character = iterator.next() {
            if quoted {
                if character == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" {
                            field.append("\"")
                        } else {
                            quoted = false
                            if next == "," {
                                row.append(field)
                                field = ""
                            } else if next == "\n" || next == "\r\n" {
                                row.append(field)
                                rows.append(row)
                                (row, field) = ([], "")
                            } else {
                                field.append(next)
                            }
                        }
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(character)
                }
            } else if character == "\"" && field.isEmpty {
                quoted = true
            } else if character == "," {
                row.append(field)
                field = ""
            } else if character == "\n" || character == "\r\n" {
                row.append(field)
                rows.append(row)
                (row, field) = ([], "")
            } else {
                field.append(character)
            }
        }
        if !field.isEmpty || !row.isEmpty {
            row.append(field)
            rows.append(row)
        }
        return rows
    }
}
