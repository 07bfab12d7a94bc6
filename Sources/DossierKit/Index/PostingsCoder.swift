/// The compact text form of a term's postings in the search shards, which `search.js`
/// (`decodePostings`) reads back.
///
/// A posting is a document number and the best field the term occurs in (`SearchField`).
/// Postings are in ascending document order and each is written as one number,
/// `(gap << 2) | (field - 1)`, where `gap` is the distance from the previous document minus one
/// (the first document's number itself). Each number is written in base 32, most significant digit
/// first, one character a digit from a 64-character alphabet: the first 32 characters end a
/// number, the last 32 mean "more digits follow". A term in most documents then costs about one
/// byte a posting, and the text needs no escaping in JSON.
public enum PostingsCoder {
    static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_".utf8)

    /// `postings` packs each posting as `document << 2 | (field - 1)`, documents ascending.
    public static func encode(_ postings: [UInt32]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(postings.count + postings.count / 4)
        var previous: Int64 = -1
        var digits: [UInt8] = []
        for posting in postings {
            let document = Int64(posting >> 2)
            var value = UInt64(document - previous - 1) << 2 | UInt64(posting & 3)
            previous = document
            digits.removeAll(keepingCapacity: true)
            repeat {
                digits.append(UInt8(value & 31))
                value >>= 5
            } while value > 0
            for index in stride(from: digits.count - 1, through: 0, by: -1) {
                bytes.append(alphabet[Int(digits[index]) + (index > 0 ? 32 : 0)])
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The inverse of `encode`, packed as it packs them: for postings read back from a section.
    static func decodePacked(_ text: String) -> [UInt32] {
        var result: [UInt32] = []
        result.reserveCapacity(text.utf8.count)
        var value = 0
        var previous = -1
        for byte in text.utf8 {
            let digit = Int(digitOf[Int(byte & 127)])
            value = value << 5 | (digit & 31)
            if digit < 32 {
                previous += (value >> 2) + 1
                result.append(UInt32(previous) << 2 | UInt32(value & 3))
                value = 0
            }
        }
        return result
    }

    /// Each alphabet character's digit, by byte.
    private static let digitOf: [UInt8] = {
        var lookup = [UInt8](repeating: 0, count: 128)
        for (index, byte) in alphabet.enumerated() { lookup[Int(byte)] = UInt8(index) }
        return lookup
    }()

    /// The inverse of `encode`, for tests: `(document, field)` pairs.
    public static func decode(_ text: String) -> [(document: Int, field: Int)] {
        decodePacked(text).map { (Int($0 >> 2), Int($0 & 3) + 1) }
    }
}
