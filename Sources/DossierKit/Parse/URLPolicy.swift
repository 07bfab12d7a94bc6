/// Which URLs content may carry.
enum URLPolicy {
    /// Why a source URL is refused, or nil: only http, https and relative URLs are allowed, so a
    /// `javascript:` or `data:` link can never reach a reader through a source list.
    static func problem(withSourceURL url: String) -> String? {
        if url.isEmpty { return "it is empty" }
        if url.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0 == " " }) {
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

    /// The scheme of an absolute URL (`https` of `https://x`), or nil for a relative one.
    static func scheme(of url: String) -> Substring? {
        guard let colon = url.firstIndex(of: ":") else { return nil }
        let candidate = url[..<colon]
        guard let first = candidate.first, first.isASCII, first.isLetter,
              candidate.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }) else { return nil }
        return candidate
    }
}
