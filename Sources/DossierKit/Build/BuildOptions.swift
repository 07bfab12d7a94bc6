import Foundation

/// What a build or check is asked to do.
public struct BuildOptions: Sendable {
    /// The folder holding `Content/` and `Templates/`.
    public var root: URL
    /// Where the site goes; `root/Site` unless given.
    public var output: URL
    /// Publish drafts too (`--drafts`).
    public var includeDrafts = false
    /// Replaces `base_url` from site.yml (`--base-url`), e.g. for a preview.
    public var baseURL: String?
    /// Write every file anew, even those whose bytes did not change (`--clean`).
    public var clean = false
    /// Also warn about what an author likely wants to fix (Build/AuthorChecks.swift): what
    /// `dossier check` adds to a build. On by default when nothing is written.
    public var authorChecks: Bool {
        get { authorChecksSetting ?? !writes }
        set { authorChecksSetting = newValue }
    }
    private var authorChecksSetting: Bool?
    /// False for `dossier check`: validate everything, write nothing.
    public var writes = true
    /// False where the process ends right after the build (`dossier build`, `dossier check`):
    /// freeing a build's values one by one takes a tenth of a second at 10,000 actions, and
    /// the kernel takes the whole memory back at exit anyway. `serve` builds again and again,
    /// so it frees.
    public var freesMemory = true
    /// How old a case file's times must be for a rebuild to trust its metadata and leave it
    /// unread (Load/FileSignature.swift). Tests lower it, to reach that path without waiting.
    public var trustedFileAge = FileSignature.defaultTrustedAge

    public init(root: URL, output: URL? = nil) {
        self.root = root.standardizedFileURL
        self.output = (output ?? root.appendingPathComponent("Site")).standardizedFileURL
    }
}

/// What a build did: every problem, what it wrote, and how long each stage took.
public struct BuildReport: Sendable {
    public var diagnostics = Diagnostics()
    /// HTML pages rendered.
    public var pageCount = 0
    /// Files in the site.
    public var fileCount = 0
    /// Pages rendered by this build; the rest were kept from the site in place, their template
    /// and context unchanged.
    public var renderedPageCount = 0
    /// Case files this build parsed; the rest came from the parse cache.
    public var parsedFileCount = 0
    /// Case files this build did not read: their metadata was as the parse cache recorded it.
    public var unreadFileCount = 0
    /// Bodies whose Markdown this build rendered; the rest came from the body cache.
    public var renderedBodyCount = 0
    /// Case files whose new bodies this build spliced into the site in place, nothing else
    /// having changed (Build/BodyPatch.swift); 0 for a build that took the whole pipeline.
    public var patchedFileCount = 0
    /// Why this build did not patch the site in place, when it had one it could have patched.
    public var patchDeclined: String?
    /// Each stage's name and wall time in seconds, in the order they ran.
    public var stageTimes: [(name: String, seconds: Double)] = []
    /// The process's peak resident memory in MB at the end of each stage, in the same order.
    public var stagePeakMemory: [Int] = []
    /// The path every internal link starts with (`/xinjiang/`), once site.yml could be read.
    public var basePath: String?
    /// Wall and CPU seconds of the sharded search index, part of the "pages" stage.
    public var searchIndexSeconds: (wall: Double, cpu: Double) = (0, 0)

    /// True when nothing the build reads had changed since the site in place was built, so it
    /// did nothing (Load/InputStamp.swift); counts and warnings are the site's own.
    public var upToDate = false

    public var succeeded: Bool { !diagnostics.hasErrors }
    public var seconds: Double { stageTimes.reduce(0) { $0 + $1.seconds } }
}
