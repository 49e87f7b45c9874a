public import Moderation

/// Lookups in the generated UTS #39 table (`ConfusableTable.swift`).
enum Confusables {
    /// The ASCII letter or digit `scalar` is confusable with, if any.
    static func prototype(of scalar: Unicode.Scalar) -> UInt8? {
        var low = 0
        var high = confusableScalars.count
        while low < high {
            let middle = (low + high) / 2
            let value = confusableScalars[middle]
            if value == scalar.value { return confusablePrototypes[middle] }
            if value < scalar.value { low = middle + 1 } else { high = middle }
        }
        return nil
    }
}

/// The scripts whose letters are used to imitate one another.
enum Script: UInt8 {
    case latin = 1
    case cyrillic = 2
    case greek = 4
    case armenian = 8
    case cherokee = 16
    case other = 0

    /// The script of a letter, by block; anything not a letter of these scripts is `.other`.
    static func of(_ scalar: Unicode.Scalar) -> Script {
        switch scalar.value {
        case 0x41...0x5A, 0x61...0x7A, 0xC0...0x24F, 0x1E00...0x1EFF: .latin
        case 0x400...0x52F, 0x1C80...0x1C8F, 0x2DE0...0x2DFF, 0xA640...0xA69F: .cyrillic
        case 0x370...0x3FF, 0x1F00...0x1FFF: .greek
        case 0x531...0x58F: .armenian
        case 0x13A0...0x13FF, 0xAB70...0xABBF: .cherokee
        default: .other
        }
    }
}

/// The scripts seen in the word being read, to flag words that mix them (`pаypal` with a Cyrillic `а`).
struct WordScripts {
    private var mask: UInt8 = 0
    private var start = 0

    mutating func add(_ script: Script, at offset: Int) {
        if mask == 0 { start = offset }
        mask |= script.rawValue
    }

    /// Ends the word at code point `offset`, recording it when it mixed scripts.
    mutating func close(at offset: Int, into evasion: inout EvasionCounts) {
        if mask.nonzeroBitCount > 1 { evasion.mixedScriptWords.append(start..<offset) }
        mask = 0
    }
}
