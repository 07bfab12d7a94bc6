/// Which URLs content may carry.
enum URLPolicy {
    /// Why a source URL is refused, or nil: only http, https and relative URLs are allowed, so a
    /// `javascript:` or `data:` link can never reach a reader through a source list.
    static func problem(withSourceURL url: String) -> String? {
        if url.isEmpty { return "it is empty" }
        if hasSpaceOrControl(url) {
            return "it contains spaces or control characters"
        }
        if let scheme = scheme(of: url) {
            let lowered = scheme.lowercased()
            guard lowered == "http" || lowered == "https" else {
                return "only http, https or relative URLs are allowed"
            }
            guard url.dropFirst(scheme.count + 1).hasPrefix("//"), url.count > scheme.count + 3 else {
                return "an absolute URL needs a host, as in https://example.org/"
            }
        }
        return nil
    }

    /// A space or a control character (category Cc: C0, DEL, C1) anywhere in `text`. Checked on
    /// the bytes where they are all ASCII, as nearly every URL's are: looking up each scalar's
    /// category was most of the time spent on a case file's sources.
    static func hasSpaceOrControl(_ text: String) -> Bool {
        let ascii: Bool? = text.utf8.withContiguousStorageIfAvailable { bytes in
            bytes.allSatisfy { $0 < 0x80 }
        }
        if ascii == true { return text.utf8.contains { $0 <= 0x20 || $0 == 0x7F } }
        return text.unicodeScalars.contains { $0.properties.generalCategory == .control || $0 == " " }
    }

    /// The scheme of an absolute URL (`https` of `https://x`), or nil for a relative one.
    static func scheme(of url: String) -> Substring? {
        // Found on the bytes, as a browser finds it: a colon with a combining mark after it is
        // not the Character ":", but it still ends the scheme (`javascript:\u{301}...`).
        guard let colon = url.utf8.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        let candidate = url[..<colon]
        guard let first = candidate.first, first.isASCII, first.isLetter,
              candidate.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }) else { return nil }
        return candidate
    }
}
