/// Windows of body text around the first occurrence of a term, carried with a record found by its
/// body so the excerpt shows the match without loading the body (`SearchPicks`). `search.js`
/// excerpts a window as it would the whole body (`excerptAround`, 60 characters before the match
/// and 180 in all), so a window holds a little more on each side (in bytes), cut at spaces, with an
/// ellipsis where it cuts.
enum SearchWindows {
    static let before = 80
    static let after = 200

    /// One window per distinct start, ordered by where it starts in `text` (the body as clipped
    /// for the index: whitespace runs already made one space). Offsets and lengths are in UTF-8
    /// bytes; a window is cut at spaces, or else at a character boundary.
    static func windows(in text: String, terms: Set<String>, tokenizer: inout SearchTokenizer) -> [(offset: Int, text: String)] {
        var missing = Set(terms.map { Array($0.utf8) })
        var positions: [Int] = []
        tokenizer.forEachWordOffset(in: text) { word, asciiLetters, offset in
            guard !missing.isEmpty else { return }
            if missing.remove(asciiLetters ? SearchStemmer.stem(bytes: Array(word)) : Array(word)) != nil { positions.append(offset) }
        }
        let bytes = Array(text.utf8)
        var windows: [(offset: Int, text: String)] = []
        for position in positions.sorted() {
            var from = max(0, position - before)
            if from > 0 {
                if let space = bytes[from..<position].firstIndex(of: 0x20) { from = space + 1 }
                while from < position && bytes[from] & 0xC0 == 0x80 { from += 1 }
            }
            var to = min(bytes.count, position + after)
            if to < bytes.count {
                if let space = bytes[position..<to].lastIndex(of: 0x20) { to = space }
                while to > position && bytes[to] & 0xC0 == 0x80 { to -= 1 }
            }
            if let last = windows.last, last.offset == from { continue }
            let window = (from > 0 ? "…" : "") + String(decoding: bytes[from..<to], as: UTF8.self) + (to < bytes.count ? "…" : "")
            windows.append((from, window))
        }
        return windows
    }
}
