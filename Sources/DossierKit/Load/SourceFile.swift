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

    /// The file name without folders and without `.md`.
    public var slug: String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return name.hasSuffix(".md") ? String(name.dropLast(3)) : name
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
