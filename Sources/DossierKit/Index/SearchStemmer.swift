/// A light English stemmer: step 1 of Porter's algorithm (plurals, `-ed`, `-ing`, `-y`) and
/// step 5a (a final `-e`), so "sanctions", "sanctioned" and "sanctioning" all index as
/// "sanction" and "freeze" and "freezing" as "freez", while names and rarer suffixes stay as
/// written. Porter's steps 2 to 4 conflate too much for names and legal terms ("general" and
/// "generous" both become "gener").
///
/// `Templates/assets/search.js` (`stem`) implements the same steps; the two must agree on every
/// word, which `Tests/DossierKitTests/Fixtures/search-normalization.tsv` checks on both sides.
public enum SearchStemmer {
    /// Only words of ASCII letters a–z longer than two letters are stemmed; anything else (numbers,
    /// other scripts, short words) is returned unchanged.
    public static func stem(_ word: String) -> String {
        let bytes = Array(word.utf8)
        guard bytes.count > 2, bytes.allSatisfy({ $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }) else { return word }
        return String(decoding: stem(bytes: bytes), as: UTF8.self)
    }

    /// The same on lowercase ASCII letters, for the tokenizer's hot path.
    static func stem(bytes input: [UInt8]) -> [UInt8] {
        guard input.count > 2 else { return input }
        var word = input
        step1a(&word)
        step1b(&word)
        step1c(&word)
        step5a(&word)
        return word
    }

    // MARK: Porter's definitions

    private static func isVowelLetter(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "a") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "i") || byte == UInt8(ascii: "o") || byte == UInt8(ascii: "u")
    }

    /// A consonant is a letter other than a, e, i, o, u, and other than a `y` after a consonant.
    private static func isConsonant(_ word: [UInt8], _ index: Int) -> Bool {
        let byte = word[index]
        if isVowelLetter(byte) { return false }
        if byte == UInt8(ascii: "y") { return index == 0 ? true : !isConsonant(word, index - 1) }
        return true
    }

    /// Porter's m: the number of vowel-consonant sequences in `word[0..<length]`.
    private static func measure(_ word: [UInt8], _ length: Int) -> Int {
        var count = 0
        var index = 0
        while index < length && isConsonant(word, index) { index += 1 }
        while index < length {
            while index < length && !isConsonant(word, index) { index += 1 }
            guard index < length else { break }
            while index < length && isConsonant(word, index) { index += 1 }
            count += 1
        }
        return count
    }

    private static func hasVowel(_ word: [UInt8], _ length: Int) -> Bool {
        (0..<length).contains { !isConsonant(word, $0) }
    }

    /// Compares bytes in place: the stemmer runs on every word of the briefing, and building an
    /// array per suffix tried would cost more than the rest of the index.
    private static func endsWith(_ word: [UInt8], _ suffix: StaticString) -> Bool {
        let length = suffix.utf8CodeUnitCount
        guard word.count >= length else { return false }
        let start = word.count - length
        let characters = suffix.utf8Start
        for offset in 0..<length where word[start + offset] != characters[offset] { return false }
        return true
    }

    private static func endsWithDoubleConsonant(_ word: [UInt8]) -> Bool {
        let count = word.count
        return count >= 2 && word[count - 1] == word[count - 2] && isConsonant(word, count - 1)
    }

    /// Consonant, vowel, consonant at the end, the last not w, x or y ("hop", not "snow").
    private static func endsCVC(_ word: [UInt8]) -> Bool {
        let count = word.count
        guard count >= 3, isConsonant(word, count - 1), !isConsonant(word, count - 2), isConsonant(word, count - 3) else { return false }
        let last = word[count - 1]
        return last != UInt8(ascii: "w") && last != UInt8(ascii: "x") && last != UInt8(ascii: "y")
    }

    // MARK: Step 1

    private static func step1a(_ word: inout [UInt8]) {
        if endsWith(word, "sses") || endsWith(word, "ies") {
            word.removeLast(2)
        } else if endsWith(word, "ss") {
            return
        } else if endsWith(word, "s") {
            word.removeLast()
        }
    }

    private static func step1b(_ word: inout [UInt8]) {
        if endsWith(word, "eed") {
            if measure(word, word.count - 3) > 0 { word.removeLast() }
            return
        }
        let suffixLength: Int
        if endsWith(word, "ed") && hasVowel(word, word.count - 2) {
            suffixLength = 2
        } else if endsWith(word, "ing") && hasVowel(word, word.count - 3) {
            suffixLength = 3
        } else {
            return
        }
        word.removeLast(suffixLength)
        if endsWith(word, "at") || endsWith(word, "bl") || endsWith(word, "iz") {
            word.append(UInt8(ascii: "e"))
        } else if endsWithDoubleConsonant(word) {
            let last = word[word.count - 1]
            if last != UInt8(ascii: "l") && last != UInt8(ascii: "s") && last != UInt8(ascii: "z") { word.removeLast() }
        } else if measure(word, word.count) == 1 && endsCVC(word) {
            word.append(UInt8(ascii: "e"))
        }
    }

    /// A final `e` goes when m > 1, or when m = 1 and the rest does not end consonant-vowel-consonant
    /// ("hope" keeps it, so "hoping" and "hope" meet).
    private static func step5a(_ word: inout [UInt8]) {
        guard word.count > 1, word[word.count - 1] == UInt8(ascii: "e") else { return }
        word.removeLast()
        let m = measure(word, word.count)
        if !(m > 1 || (m == 1 && !endsCVC(word))) { word.append(UInt8(ascii: "e")) }
    }

    private static func step1c(_ word: inout [UInt8]) {
        if endsWith(word, "y") && hasVowel(word, word.count - 1) {
            word[word.count - 1] = UInt8(ascii: "i")
        }
    }
}
