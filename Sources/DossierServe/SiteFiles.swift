import Foundation

/// Finds the file a request names in the built site, the way a static host would, and never
/// anything outside the site's folder, even through a symbolic link.
public struct SiteFiles: Sendable {
    public enum Lookup: Equatable, Sendable {
        case file(URL)
        /// A folder asked for without its trailing slash: redirect, so relative links work.
        case folderWithoutSlash
        case missing
        /// The path resolves outside the site (a symbolic link pointing out).
        case outside
    }

    public let folder: URL

    public init(folder: URL) {
        self.folder = folder
    }

    public func lookup(_ segments: [String], endsWithSlash: Bool) -> Lookup {
        let root = folder.resolvingSymlinksInPath().standardizedFileURL.path
        var url = folder
        for segment in segments { url.appendPathComponent(segment, isDirectory: false) }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { return .missing }
        if isDirectory.boolValue {
            if !endsWithSlash && !segments.isEmpty { return .folderWithoutSlash }
            url.appendPathComponent("index.html", isDirectory: false)
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else { return .missing }
        }
        let resolved = url.resolvingSymlinksInPath().standardizedFileURL.path
        guard resolved.hasPrefix(root + "/") else { return .outside }
        return .file(URL(fileURLWithPath: resolved))
    }
}
