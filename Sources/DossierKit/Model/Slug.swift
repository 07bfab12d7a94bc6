import Foundation

/// The name of a case file without `.md`, and its identity across actors, actions and pages.
public enum Slug {
    /// `^[a-z0-9]+(-[a-z0-9]+)*$`
    public static func isValid(_ slug: String) -> Bool {
        var previousWasHyphen = true  // so a leading hyphen fails
        for byte in slug.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                previousWasHyphen = false
            case UInt8(ascii: "-"):
                if previousWasHyphen { return false }
                previousWasHyphen = true
            default:
                return false
            }
        }
        return !slug.isEmpty && !previousWasHyphen
    }

    /// A best-effort slug for free text (heading ids, tags): lower-case ASCII letters and digits
    /// joined by single hyphens; accents are dropped to their base letter where Unicode says so.
    public static func make(from text: String) -> String {
        var result = ""
        var pendingHyphen = false
        for scalar in text.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars {
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                if pendingHyphen, !result.isEmpty { result.append("-") }
                pendingHyphen = false
                result.unicodeScalars.append(scalar)
            } else if scalar.properties.generalCategory == .nonspacingMark {
                continue
            } else {
                pendingHyphen = true
            }
        }
        return result
    }
}
