import Foundation

/// A file read from the briefing, with its path relative to the root.
public struct SourceFile: Hashable, Sendable {
    public var path: String
    public var bytes: Data
    /// The file's `FileSignature` as it was read, 0 for none.
    public var signature: UInt64 = 0
    /// Set, with no bytes, for a case file the loader left unread because its signature is the
    /// one an earlier build recorded (`BriefingLoader.load(signatures:)`): where it is, absolute.
    public var unreadPath: String?

    public init(path: String, bytes: Data) {
        self.path = path
        self.bytes = bytes
    }

    /// The file name without folders and without `.md`. Cut from the path's UTF-8 (both marks
    /// are ASCII): splitting the path into an array of its folders, several times for every
    /// case file, was 0.6 % of a full build.
    public var slug: String {
        let utf8 = path.utf8
        let slash = UInt8(ascii: "/")
        // The last name in the path: trailing slashes end no name.
        var end = utf8.endIndex
        while end > utf8.startIndex, utf8[utf8.index(before: end)] == slash { end = utf8.index(before: end) }
        guard end > utf8.startIndex else { return path }
        let start = utf8[..<end].lastIndex(of: slash).map { utf8.index(after: $0) } ?? utf8.startIndex
        var nameEnd = end
        if utf8.distance(from: start, to: end) >= 3, utf8[utf8.index(end, offsetBy: -3)..<end].elementsEqual(".md".utf8) {
            nameEnd = utf8.index(end, offsetBy: -3)
        }
        return String(path[start..<nameEnd])
    }
}

/// The raw files of a briefing, sorted by path, before anything is parsed.
public struct BriefingSources: Sendable {
    public var siteFile: SourceFile?
    public var actorFiles: [SourceFile] = []
    public var actionFiles: [SourceFile] = []
    public var pageFiles: [SourceFile] = []
    /// `Content/assets/**`, keyed by the path below `assets/`.
    public var contentAssets: [SourceFile] = []
    /// `Templates/**` of the briefing, which override the built-in theme file of the same path.
    public var themeOverrides: [SourceFile] = []

    public init() {}
}
