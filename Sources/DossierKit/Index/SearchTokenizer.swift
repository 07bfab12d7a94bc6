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

    /// `stopWords` as UTF-8, made once rather than for every document.
    static let stopWordBytes: [[UInt8]] = stopWords.sorted().map { Array($0.utf8) }

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
    mutating func forEachWordBytes(in text: String, _ body: (UnsafeBufferPointer<UInt8>, Bool) -> Void) {
        var text = text
        text.withUTF8 { bytes in forEachWord(in: bytes) { word, asciiLetters, _ in body(word, asciiLetters) } }
    }

    /// The same with the UTF-8 offset where each word starts in `text`, to cut text around it.
    mutating func forEachWordOffset(in text: String, _ body: (UnsafeBufferPointer<UInt8>, Bool, Int) -> Void) {
        var text = text
        text.withUTF8 { bytes in forEachWord(in: bytes, body) }
    }

    /// The words are folded into one buffer on the stack: appended to an array byte by byte, they
    /// were two thirds of the search outputs' tokenizing (a uniqueness check and a bounds check
    /// a byte, over every body of the briefing).
    private mutating func forEachWord(in bytes: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>, Bool, Int) -> Void) {
        // A word is kept only up to `maxWordLength` characters, each folded to at most 4 bytes;
        // past that it is too long to index, and only counted.
        let capacity = 4 * Self.maxWordLength
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer in
            var used = 0
            var length = 0
            var asciiLetters = true
            var start = 0
            func flush() {
                if length > 0 && length <= Self.maxWordLength { body(UnsafeBufferPointer(rebasing: buffer[0..<used]), asciiLetters, start) }
                used = 0
                length = 0
                asciiLetters = true
            }
            func append(_ scalar: Unicode.Scalar) {
                length += 1
                guard length <= Self.maxWordLength else { return }
                for byte in UTF8.encode(scalar)! {
                    buffer[used] = byte
                    used += 1
                }
            }
            var index = 0
            let count = bytes.count
            while index < count {
                let byte = bytes[index]
                if byte < 0x80 {
                    let lower = byte | 0x20
                    if lower >= 0x61 && lower <= 0x7A {
                        if length == 0 { start = index }
                        if length < Self.maxWordLength { buffer[used] = lower; used += 1 }
                        length += 1
                    } else if byte >= 0x30 && byte <= 0x39 {
                        if length == 0 { start = index }
                        if length < Self.maxWordLength { buffer[used] = byte; used += 1 }
                        length += 1
                        asciiLetters = false
                    } else if byte != 0x27, length > 0 {
                        // An apostrophe is dropped, not a break.
                        flush()
                    }
                    index += 1
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
                        append(folded)
                        asciiLetters = false
                        start = scalarStart
                        flush()
                    } else if Self.isWordCharacter(folded) {
                        if length == 0 { start = scalarStart }
                        append(folded)
                        if !(0x61...0x7A).contains(folded.value) { asciiLetters = false }
                    } else {
                        flush()
                    }
                }
            }
            flush()
        }
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
