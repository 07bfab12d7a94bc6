import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Tells when anything under `Content/` or `Templates/` changed. On Linux it uses inotify (one
/// watch per folder, read through a Dispatch read source, new folders watched as they appear);
/// elsewhere, or if inotify is unavailable, it compares a listing of names, sizes and times
/// twice a second.
///
/// A burst of saves (editors write a temporary file, then rename it) is coalesced: `changes`
/// yields once the folders have been quiet for `quietPeriod`.
public struct ChangeWatcher: Sendable {
    public let root: URL
    public let quietPeriod: Duration

    public init(root: URL, quietPeriod: Duration = .milliseconds(100)) {
        self.root = root.standardizedFileURL
        self.quietPeriod = quietPeriod
    }

    /// The folders below the root whose changes matter.
    static let watchedFolders = ["Content", "Templates"]

    /// Names editors and systems write beside the real file, which never change a build.
    static func isNoise(_ name: String) -> Bool {
        name.hasPrefix(".") || name.hasSuffix("~") || name.hasSuffix(".swp") || name.hasSuffix(".swx") || name == "4913"
    }

    /// One element per settled burst of changes.
    public func changes() -> AsyncStream<Void> {
        let (raw, rawContinuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let counter = EventCounter()
        let stop: @Sendable () -> Void
        #if os(Linux)
        if let inotify = Inotify(root: root, onEvent: { counter.increment(); rawContinuation.yield() }) {
            stop = { inotify.stop() }
        } else {
            stop = Self.poll(root: root) { counter.increment(); rawContinuation.yield() }
        }
        #else
        stop = Self.poll(root: root) { counter.increment(); rawContinuation.yield() }
        #endif

        let quietPeriod = self.quietPeriod
        return AsyncStream { continuation in
            let task = Task {
                var handled = 0
                for await _ in raw {
                    // Wait until a whole burst has landed: as long as events keep coming, wait.
                    var seen = counter.value
                    if seen == handled { continue }
                    while true {
                        try? await Task.sleep(for: quietPeriod)
                        let now = counter.value
                        if now == seen { break }
                        seen = now
                    }
                    handled = seen
                    continuation.yield()
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in
                task.cancel()
                rawContinuation.finish()
                stop()
            }
        }
    }

    /// The portable fallback: a fingerprint of every file's path, size and modification time.
    static func poll(root: URL, every interval: Duration = .milliseconds(500), onChange: @escaping @Sendable () -> Void) -> @Sendable () -> Void {
        let task = Task.detached {
            var last = fingerprint(root: root)
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                let now = fingerprint(root: root)
                if now != last { last = now; onChange() }
            }
        }
        return { task.cancel() }
    }

    static func fingerprint(root: URL) -> [String] {
        var entries: [String] = []
        for folder in watchedFolders {
            let base = root.appendingPathComponent(folder)
            guard let enumerator = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.contentModificationDateKey, .fileSizeKey]) else { continue }
            for case let url as URL in enumerator where !isNoise(url.lastPathComponent) {
                let values = try? url.resourceValues(forKeys: [.contentModificationDateKey, .fileSizeKey])
                entries.append("\(url.path)|\(values?.fileSize ?? -1)|\(values?.contentModificationDate?.timeIntervalSince1970 ?? 0)")
            }
        }
        return entries.sorted()
    }
}

/// How many raw events have arrived, shared between the reader and the coalescing loop.
final class EventCounter: Sendable {
    private let count = Atomic<Int>(0)
    func increment() { count.add(1, ordering: .relaxed) }
    var value: Int { count.load(ordering: .relaxed) }
}

#if os(Linux)
/// inotify on the root (for `Content/` or `Templates/` appearing) and on every folder below them.
final class Inotify: Sendable {
    private let descriptor: Int32
    /// Dispatch sources are not `Sendable`; the lock makes the one reference safe to share.
    private let source = Mutex<DispatchSourceRead?>(nil)
    /// Watch descriptor -> folder path (relative to the root), to watch new subfolders.
    private let folders: Mutex<[Int32: String]>
    private let root: URL

    init?(root: URL, onEvent: @escaping @Sendable () -> Void) {
        let descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0 else { return nil }
        self.descriptor = descriptor
        self.root = root
        self.folders = Mutex([:])
        watch("")
        for folder in ChangeWatcher.watchedFolders { watchTree(folder) }
        self.source.withLock { slot in
            let source = DispatchSource.makeReadSource(fileDescriptor: descriptor, queue: DispatchQueue(label: "dossier.watch"))
            source.setEventHandler { [weak self] in
                if let self, self.drain() { onEvent() }
            }
            source.setCancelHandler { close(descriptor) }
            source.resume()
            slot = source
        }
    }

    func stop() { source.withLock { $0?.cancel(); $0 = nil } }

    private static let mask = UInt32(IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF | IN_ATTRIB)

    private func watch(_ relative: String) {
        let path = relative.isEmpty ? root.path : root.appendingPathComponent(relative).path
        let wd = inotify_add_watch(descriptor, path, Self.mask)
        if wd >= 0 { folders.withLock { $0[wd] = relative } }
    }

    /// `relative` and every folder below it.
    private func watchTree(_ relative: String) {
        let base = root.appendingPathComponent(relative)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: base.path, isDirectory: &isDirectory), isDirectory.boolValue else { return }
        watch(relative)
        guard let enumerator = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isDirectoryKey], options: [.skipsHiddenFiles]) else { return }
        for case let url as URL in enumerator where (try? url.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true {
            watch(relative + "/" + String(url.standardizedFileURL.path.dropFirst(base.standardizedFileURL.path.count + 1)))
        }
    }

    /// Reads every pending event; true if any of them matters to a build.
    private func drain() -> Bool {
        var relevant = false
        let capacity = 64 * 1024
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
        defer { buffer.deallocate() }
        while true {
            let count = read(descriptor, buffer, capacity)
            guard count > 0 else { break }
            var offset = 0
            while offset + 16 <= count {
                let wd = buffer.load(fromByteOffset: offset, as: Int32.self)
                let mask = buffer.load(fromByteOffset: offset + 4, as: UInt32.self)
                let length = Int(buffer.load(fromByteOffset: offset + 12, as: UInt32.self))
                let name = length > 0 ? String(cString: buffer.advanced(by: offset + 16).assumingMemoryBound(to: CChar.self)) : ""
                offset += 16 + length
                if mask & UInt32(IN_Q_OVERFLOW) != 0 { relevant = true; continue }
                let folder = folders.withLock { $0[wd] }
                guard let folder else { continue }
                if folder.isEmpty {
                    // In the root itself only the watched folders matter (not Site/ or .build/).
                    guard ChangeWatcher.watchedFolders.contains(name) else { continue }
                    if mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0 { watchTree(name) }
                    relevant = true
                    continue
                }
                if ChangeWatcher.isNoise(name) { continue }
                if mask & UInt32(IN_ISDIR) != 0, mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0 {
                    watchTree(folder + "/" + name)
                }
                relevant = true
            }
        }
        return relevant
    }
}
#endif
