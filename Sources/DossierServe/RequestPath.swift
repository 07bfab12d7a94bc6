/// What a request's path asks of the preview server, decided before any file is touched.
public enum RequestPath: Equatable, Sendable {
    /// A file or folder below the site root: its path segments, each decoded and checked.
    case site([String])
    /// The same path with a trailing slash (a folder asked for without one) or the base path.
    case redirect(String)
    /// One of the server's own resources (`/__dossier/...`), never part of the site.
    case server(String)
    /// Outside the base path: the site's 404 page.
    case notFound
    /// A traversal, NUL byte, encoded slash or malformed escape: refused outright.
    case refused(String)

    /// The server's own resources live under this prefix, outside any base path.
    public static let serverPrefix = "/__dossier/"

    /// Decides a raw, still percent-encoded request path (`/xinjiang/actors/zhu-hailun/`).
    ///
    /// Everything is decoded exactly once, and a segment that is `..` or `.` before or after
    /// decoding, or that still decodes to one after a second decoding (double encoding), is
    /// refused; so is any path that is not absolute, holds a NUL byte or a backslash, or encodes a
    /// slash. Symbolic links are checked later, against the file system (`SiteFiles`).
    public static func resolve(_ rawPath: String, basePath: String) -> RequestPath {
        guard rawPath.hasPrefix("/") else { return .refused("not an absolute path") }
        if rawPath.hasPrefix(serverPrefix) { return .server(String(rawPath.dropFirst(serverPrefix.count))) }
        if rawPath == "/" && basePath != "/" { return .redirect(basePath) }
        if rawPath + "/" == basePath { return .redirect(basePath) }
        guard rawPath.hasPrefix(basePath) else { return .notFound }

        var segments: [String] = []
        for rawSegment in rawPath.dropFirst(basePath.count).split(separator: "/", omittingEmptySubsequences: true) {
            guard let decoded = percentDecoded(rawSegment) else { return .refused("malformed percent escape") }
            if decoded.contains("/") || decoded.contains("\\") { return .refused("an encoded separator") }
            if decoded.unicodeScalars.contains(where: { $0.value == 0 }) { return .refused("a NUL byte") }
            if decoded == ".." || decoded == "." || rawSegment == ".." || rawSegment == "." { return .refused("a dot segment") }
            if let twice = percentDecoded(Substring(decoded)), twice != decoded,
               twice == ".." || twice == "." || twice.contains("/") || twice.contains("\\") || twice.contains("\0") {
                return .refused("a double-encoded traversal")
            }
            segments.append(decoded)
        }
        return .site(segments)
    }

    /// RFC 3986 percent-decoding of one segment as UTF-8; nil for a broken escape or bytes that
    /// are not UTF-8.
    static func percentDecoded(_ text: Substring) -> String? {
        guard text.contains("%") else { return String(text) }
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else { bytes.append(byte); continue }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
