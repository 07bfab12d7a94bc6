import Foundation

/// Cuts text into the words the search index stores, with the rules `search.js` mirrors exactly
/// (its `fold`, `words` and `term`):
///
/// 1. **Fold** each character: canonical decomposition (NFD), combining marks (Unicode category
///    M) dropped, then lowercase, with final sigma `ς` read as `σ`. "Müller" is "muller".
/// 2. **Split** into runs of letters and digits (categories L and N). An apostrophe (`'` or `’`)
///    is dropped, not a break, so "China's" is one word, "chinas". Each Han or kana character is a
///    word of its own, since those scripts do not separate words with spaces.
/// 3. Words longer than `maxWordLength` characters (hashes, run-together URLs) are skipped.
/// 4. A word's **term** is its light English stem (`SearchStemmer`).
///
/// Holds a cache of folded non-ASCII characters, so keep one tokenizer per task, not per call.
public struct SearchTokenizer {
    public static let maxWordLength = 40

    /// Not indexed in summaries and bodies, where they are in nearly every document; kept in
    /// names and titles so "Bank of China" can still be matched whole.
    public static let stopWords: Set<String> = [
        "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "for", "from", "had", "has",
        "have", "he", "her", "his", "in", "into", "is", "it", "its", "of", "on", "or", "that", "the",
        "their", "they", "this", "to", "was", "were", "which", "who", "will", "with",
    ]

    private var foldCache: [UInt32: [Unicode.Scalar]] = [:]

    public init() {}

    /// The folded form of `text`, every character kept (spaces and punctuation too).
    public mutating func fold(_ text: String) -> String {
        var output = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { output.append(contentsOf: folded(scalar)) }
        return String(output)
    }

    /// The folded words of `text`, in order, not stemmed.
    public mutating func words(_ text: String) -> [String] {
        var words: [String] = []
        forEachWord(in: text) { word, _ in words.append(word) }
        return words
    }

    /// The index terms of `text`: its words, stemmed.
    public mutating func terms(_ text: String) -> [String] {
        var terms: [String] = []
        forEachWord(in: text) { word, isASCIILetters in terms.append(isASCIILetters ? SearchStemmer.stem(word) : word) }
        return terms
    }

    /// Calls `body` with each folded word and whether it is all ASCII letters (so stemmable).
    /// Works on UTF-8 bytes with an ASCII fast path: bodies are mostly ASCII and this runs over
    /// the whole briefing on every build.
    public mutating func forEachWord(in text: String, _ body: (String, Bool) -> Void) {
        forEachWordBytes(in: text) { word, asciiLetters in body(String(decoding: word, as: UTF8.self), asciiLetters) }
    }

    /// The same with each word's UTF-8 bytes, valid only during the call: for the index, which
    /// makes a string only of each distinct word.
    mutating func forEachWordBytes(in text: String, _ body: ([UInt8], Bool) -> Void) {
        var text = text
        text.withUTF8 { bytes in forEachWord(in: bytes) { word, asciiLetters, _ in body(word, asciiLetters) } }
    }

    /// The same with the UTF-8 offset where each word starts in `text`, to cut text around it.
    mutating func forEachWordOffset(in text: String, _ body: ([UInt8], Bool, Int) -> Void) {
        var text = text
        text.withUTF8 { bytes in forEachWord(in: bytes, body) }
    }

    private mutating func forEachWord(in bytes: UnsafeBufferPointer<UInt8>, _ body: ([UInt8], Bool, Int) -> Void) {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(64)
        var length = 0
        var asciiLetters = true
        var start = 0
        func flush() {
            if length > 0 && length <= Self.maxWordLength { body(buffer, asciiLetters, start) }
            buffer.removeAll(keepingCapacity: true)
            length = 0
            asciiLetters = true
        }
        var index = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte < 0x80 {
                if length == 0 { start = index }
                index += 1
                switch byte {
                case 0x61...0x7A: buffer.append(byte); length += 1
                case 0x41...0x5A: buffer.append(byte + 0x20); length += 1
                case 0x30...0x39: buffer.append(byte); length += 1; asciiLetters = false
                case 0x27: continue
                default: if length > 0 { flush() }
                }
                continue
            }
            // A multi-byte scalar: decode it (the String is valid UTF-8), then take the slow path.
            let width = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
            var value = UInt32(byte) & (width == 2 ? 0x1F : width == 3 ? 0x0F : 0x07)
            for offset in 1..<width where index + offset < count { value = value << 6 | UInt32(bytes[index + offset] & 0x3F) }
            let scalarStart = index
            index += width
            if value == 0x2019 { continue }
            guard let scalar = Unicode.Scalar(value) else { continue }
            for folded in folded(scalar) {
                if Self.isIdeograph(folded.value) {
                    flush()
                    buffer.append(contentsOf: String(folded).utf8)
                    length = 1
                    asciiLetters = false
                    start = scalarStart
                    flush()
                } else if Self.isWordCharacter(folded) {
                    if length == 0 { start = scalarStart }
                    buffer.append(contentsOf: String(folded).utf8)
                    length += 1
                    if !(0x61...0x7A).contains(folded.value) { asciiLetters = false }
                } else {
                    flush()
                }
            }
        }
        flush()
    }

    /// Step 1 of the rules for one character, cached: Foundation's NFD costs far more per call
    /// than the rest of the tokenizer.
    private mutating func folded(_ scalar: Unicode.Scalar) -> [Unicode.Scalar] {
        if scalar.value < 0x80 {
            return [(0x41...0x5A).contains(scalar.value) ? Unicode.Scalar(scalar.value + 0x20)! : scalar]
        }
        if let cached = foldCache[scalar.value] { return cached }
        var output: [Unicode.Scalar] = []
        for decomposed in String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars {
            switch decomposed.properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark: continue
            default: break
            }
            for lower in decomposed.properties.lowercaseMapping.unicodeScalars {
                output.append(lower == "ς" ? "σ" : lower)
            }
        }
        foldCache[scalar.value] = output
        return output
    }

    static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber: true
        default: false
        }
    }

    /// Han ideographs and kana: each one is a word.
    static func isIdeograph(_ value: UInt32) -> Bool {
        (0x3040...0x30FF).contains(value) || (0x3400...0x4DBF).contains(value) || (0x4E00...0x9FFF).contains(value)
            || (0xF900...0xFAFF).contains(value) || (0x20000...0x2FFFF).contains(value)
    }
}
