import Foundation

/// What a build remembers about one site folder it wrote: every file's content hash and size and
/// the key it was rendered from, and the build's own memory (the fingerprint of its inputs, the
/// change log's state, its warnings and counts). It is kept beside the site, never inside it, in
/// a file named after the folder's identity (`SiteWriter`), so a record can only ever describe
/// the folder it was written for, whichever name that folder has after a swap.
public struct SiteRecord: Sendable, Equatable {
    public struct File: Sendable, Equatable {
        /// `ContentHash` of the bytes.
        public var hash: UInt64
        public var size: Int
        /// The fingerprint of everything the file was rendered from, 0 for none: a later build
        /// whose key for the same path is equal can keep the file without rendering it.
        public var key: UInt64

        public init(hash: UInt64, size: Int, key: UInt64 = 0) {
            self.hash = hash
            self.size = size
            self.key = key
        }

        func sameBytes(as other: File) -> Bool { hash == other.hash && size == other.size }
    }

    /// The build's memory, small enough to be JSON.
    public struct Memory: Sendable, Equatable, Codable {
        /// `InputStamp` of the briefing, options and tool the site was built from, nil when it
        /// could not be trusted (a file changed during the build): then the next build never skips.
        public var inputs: String?
        /// The path every internal link starts with (`BuildReport.basePath`).
        public var basePath: String?
        /// `ChangeLog.state` of the published change log.
        public var changeLog: String?
        public var pageCount = 0
        public var fileCount = 0
        /// The build's warnings, repeated by a build that skips everything because nothing changed.
        public var warnings: [StoredDiagnostic] = []

        public init() {}
    }

    public struct StoredDiagnostic: Sendable, Equatable, Codable {
        public var path: String
        public var line: Int
        public var column: Int
        public var message: String

        public init(_ diagnostic: Diagnostic) {
            path = diagnostic.location.path
            line = diagnostic.location.line
            column = diagnostic.location.column
            message = diagnostic.message
        }

        public var warning: Diagnostic {
            .warning(message, at: SourceLocation(path: path, line: line, column: column))
        }
    }

    public var files: [String: File]
    public var memory: Memory

    public init(files: [String: File] = [:], memory: Memory = Memory()) {
        self.files = files
        self.memory = memory
    }

    private static let signature = "dossier site record 2\n"
    /// Records of the first version, which kept the change log's state inside the memory's JSON.
    private static let firstSignature = "dossier site record 1\n"

    /// The signature line, the memory as one line of JSON, the change log's state as a line with
    /// its length in bytes and then those bytes and a newline (megabytes that JSON would escape
    /// and unescape again on every build), then a line per file: `hash key size path`, hashes in
    /// hex, sorted by path so equal records are equal bytes.
    ///
    /// `orderHint`: the paths of an earlier record in its order (`filesInOrder`). A build keeps
    /// nearly every path, and walking that list puts them in order without sorting 26,000
    /// paths; the new ones are sorted and merged in. The bytes are the same as without a hint.
    public func encoded(orderHint: [String]? = nil) -> [UInt8] {
        var bytes = encodedMemory(reservingLines: files.count)
        // The lines made a run at a time on every core: this is the last step of every build,
        // with nothing else left to run beside it.
        let sorted = sortedFiles(orderHint: orderHint)
        let runs = stride(from: 0, to: sorted.count, by: 4096).map { $0..<min($0 + 4096, sorted.count) }
        for lines in runs.parallelMap({ run in Self.lines(sorted[run]) }) { bytes += lines }
        return bytes
    }

    /// The record up to its lines: the signature, the memory, the change log's state.
    func encodedMemory(reservingLines lineCount: Int) -> [UInt8] {
        var bytes = Array(Self.signature.utf8)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var small = memory
        small.changeLog = nil
        let smallJSON = (try? encoder.encode(small)) ?? Data("{}".utf8)
        // Sized once, and the change log (2 MB at 10,000 actions) copied once: made an array
        // first and the record grown after it, it was copied three times at the end of a build.
        let changeLogCount = memory.changeLog?.utf8.count ?? 0
        bytes.reserveCapacity(bytes.count + smallJSON.count + changeLogCount + 32 + lineCount * 80)
        bytes += smallJSON
        bytes.append(UInt8(ascii: "\n"))
        bytes += (memory.changeLog == nil ? "-" : String(changeLogCount)).utf8
        bytes.append(UInt8(ascii: "\n"))
        if let changeLog = memory.changeLog {
            bytes += changeLog.utf8
            bytes.append(UInt8(ascii: "\n"))
        }
        return bytes
    }

    /// The record's lines of these files, in this order.
    private static func lines(_ files: ArraySlice<(key: String, value: File)>) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(files.count * 80)
        for (path, file) in files { appendLine(path, file, to: &bytes) }
        return bytes
    }

    /// A file's line: `hash key size path` and a newline.
    static func appendLine(_ path: String, _ file: File, to bytes: inout [UInt8]) {
        appendHex(file.hash, to: &bytes)
        bytes.append(UInt8(ascii: " "))
        appendHex(file.key, to: &bytes)
        bytes.append(UInt8(ascii: " "))
        bytes += String(file.size).utf8
        bytes.append(UInt8(ascii: " "))
        bytes += escape(path).utf8
        bytes.append(UInt8(ascii: "\n"))
    }

    private func sortedFiles(orderHint: [String]?) -> [(key: String, value: File)] {
        @Sendable func byPath(_ a: (key: String, value: File), _ b: (key: String, value: File)) -> Bool { a.key < b.key }
        guard let orderHint else { return Self.sortedOnEveryCore(files, by: byPath) }
        // Looked up a run at a time on every core (26,000 paths hashed at the end of a build).
        let files = self.files
        let runs = stride(from: 0, to: orderHint.count, by: 4096).map { $0..<min($0 + 4096, orderHint.count) }
        var kept: [(key: String, value: File)] = []
        kept.reserveCapacity(files.count)
        for found in runs.parallelMap({ run in orderHint[run].compactMap { path in files[path].map { (key: path, value: $0) } } }) {
            kept += found
        }
        // A hint out of order (another writer's record) is no help.
        guard zip(kept, kept.dropFirst()).allSatisfy(byPath) else { return Self.sortedOnEveryCore(files, by: byPath) }
        guard kept.count < files.count else { return kept }
        let hinted = Set(orderHint)
        let added = files.filter { !hinted.contains($0.key) }.sorted(by: byPath)
        var merged: [(key: String, value: File)] = []
        merged.reserveCapacity(files.count)
        var next = 0
        for entry in kept {
            while next < added.count, byPath(added[next], entry) {
                merged.append(added[next])
                next += 1
            }
            merged.append(entry)
        }
        merged += added[next...]
        return merged
    }

    /// `files` sorted, in two halves sorted side by side and merged: a first build has no order
    /// to follow, and sorting its 26,000 paths at 10,000 actions was the last step of the build,
    /// on one core. Paths are unique, so the order is the one `sorted` gives.
    private static func sortedOnEveryCore(_ files: [String: File], by byPath: @Sendable ((key: String, value: File), (key: String, value: File)) -> Bool) -> [(key: String, value: File)] {
        let all = Array(files)
        let middle = all.count / 2
        let halves = [0..<middle, middle..<all.count].parallelMap { all[$0].sorted(by: byPath) }
        var merged: [(key: String, value: File)] = []
        merged.reserveCapacity(all.count)
        var (left, right) = (0, 0)
        while left < halves[0].count, right < halves[1].count {
            if byPath(halves[1][right], halves[0][left]) {
                merged.append(halves[1][right])
                right += 1
            } else {
                merged.append(halves[0][left])
                left += 1
            }
        }
        merged += halves[0][left...]
        merged += halves[1][right...]
        return merged
    }

    /// 16 lowercase hex digits, straight into the bytes (26,000 lines a build at 10,000 actions).
    private static func appendHex(_ value: UInt64, to bytes: inout [UInt8]) {
        for shift in stride(from: 60, through: 0, by: -4) {
            let digit = UInt8(truncatingIfNeeded: value >> UInt64(shift) & 0xF)
            bytes.append(digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10)
        }
    }

    /// The memory alone, without reading the list of files (a rebuild with nothing to do needs
    /// only that), and where the list starts; nil for anything this version did not write.
    public static func memory(encoded bytes: [UInt8]) -> (Memory, filesStart: Int)? {
        bytes.withUnsafeBufferPointer { memory(encoded: $0) }
    }

    /// The same from bytes in place (a record mapped from its file).
    static func memory(encoded bytes: UnsafeBufferPointer<UInt8>) -> (Memory, filesStart: Int)? {
        guard let (version, memoryEnd) = header(bytes),
              var memory = try? JSONDecoder().decode(Memory.self, from: Data(bytes[signature.utf8.count..<memoryEnd])) else { return nil }
        guard version == 2 else { return (memory, memoryEnd + 1) }
        guard let (changeLog, filesStart) = changeLogSection(bytes, after: memoryEnd) else { return nil }
        memory.changeLog = changeLog.map { String(decoding: UnsafeBufferPointer(rebasing: bytes[$0]), as: UTF8.self) }
        return (memory, filesStart)
    }

    /// Where the change log's state is (nil when there is none) and where the files start.
    fileprivate static func changeLogSection(_ bytes: UnsafeBufferPointer<UInt8>, after memoryEnd: Int) -> (Range<Int>?, filesStart: Int)? {
        guard let lengthEnd = bytes[(memoryEnd + 1)...].firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        let lengthText = String(decoding: UnsafeBufferPointer(rebasing: bytes[(memoryEnd + 1)..<lengthEnd]), as: UTF8.self)
        if lengthText == "-" { return (nil, lengthEnd + 1) }
        guard let length = Int(lengthText), length >= 0, length < bytes.count - lengthEnd - 1,
              bytes[lengthEnd + 1 + length] == UInt8(ascii: "\n") else { return nil }
        return ((lengthEnd + 1)..<(lengthEnd + 1 + length), lengthEnd + length + 2)
    }

    /// The record's version (1 or 2) and where its memory line ends.
    fileprivate static func header(_ bytes: UnsafeBufferPointer<UInt8>) -> (version: Int, memoryEnd: Int)? {
        for (version, signature) in [(2, Self.signature), (1, Self.firstSignature)] {
            let prefix = Array(signature.utf8)
            guard bytes.count > prefix.count, bytes[0..<prefix.count].elementsEqual(prefix) else { continue }
            guard let memoryEnd = bytes[prefix.count...].firstIndex(of: UInt8(ascii: "\n")) else { return nil }
            return (version, memoryEnd)
        }
        return nil
    }

    /// nil for anything this version did not write whole: the caller then trusts nothing.
    public init?(encoded bytes: [UInt8]) {
        guard let (memory, filesStart) = Self.memory(encoded: bytes),
              let files = bytes.withUnsafeBufferPointer({ Self.files(encoded: $0, from: filesStart, inOrder: false) }) else { return nil }
        self.init(files: files.files, memory: memory)
    }

    /// The list of files alone, without decoding the memory (a build staging its back folder
    /// needs only that).
    public static func files(encoded bytes: [UInt8]) -> [String: File]? {
        bytes.withUnsafeBufferPointer { files(encoded: $0, inOrder: false)?.files }
    }

    /// The list of files and their paths in the record's order.
    public static func filesInOrder(encoded bytes: [UInt8]) -> (files: [String: File], order: [String])? {
        bytes.withUnsafeBufferPointer { files(encoded: $0, inOrder: true) }
    }

    /// The list of files from bytes in place, and, `inOrder`, their paths in the record's order
    /// (only the site in place's order is used: `encoded(orderHint:)`).
    static func files(encoded bytes: UnsafeBufferPointer<UInt8>, inOrder: Bool) -> (files: [String: File], order: [String])? {
        guard let (version, memoryEnd) = header(bytes) else { return nil }
        guard version == 2 else { return files(encoded: bytes, from: memoryEnd + 1, inOrder: inOrder) }
        return changeLogSection(bytes, after: memoryEnd).flatMap { files(encoded: bytes, from: $0.filesStart, inOrder: inOrder) }
    }

    /// Reads the `hash key size path` lines from `start` byte by byte: 26,000 of them at 10,000
    /// actions, read by every build.
    private static func files(encoded buffer: UnsafeBufferPointer<UInt8>, from start: Int, inOrder: Bool) -> (files: [String: File], order: [String])? {
        var files: [String: File] = [:]
        files.reserveCapacity(buffer.count / 60)
        var order: [String] = []
        if inOrder { order.reserveCapacity(buffer.count / 60) }
        var offset = start
        func number(radix: UInt64, until end: UInt8) -> UInt64? {
            var value: UInt64 = 0
            let first = offset
            while offset < buffer.count, buffer[offset] != end {
                let byte = buffer[offset]
                let digit: UInt64
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt64(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f") where radix == 16: digit = UInt64(byte - UInt8(ascii: "a") + 10)
                default: return nil
                }
                let (shifted, overflow) = value.multipliedReportingOverflow(by: radix)
                guard !overflow else { return nil }
                value = shifted + digit
                offset += 1
            }
            guard offset < buffer.count, offset > first else { return nil }
            offset += 1
            return value
        }
        while offset < buffer.count {
            guard let hash = number(radix: 16, until: UInt8(ascii: " ")), let key = number(radix: 16, until: UInt8(ascii: " ")),
                  let size = number(radix: 10, until: UInt8(ascii: " ")), size <= UInt64(Int.max) else { return nil }
            let pathStart = offset
            // The line's end and any escape in it found by `memchr`, not a byte at a time.
            guard let newline = memchr(buffer.baseAddress! + pathStart, Int32(UInt8(ascii: "\n")), buffer.count - pathStart) else { return nil }
            offset = buffer.baseAddress!.distance(to: newline.assumingMemoryBound(to: UInt8.self))
            let raw = UnsafeBufferPointer(rebasing: buffer[pathStart..<offset])
            let escaped = !raw.isEmpty && memchr(raw.baseAddress!, Int32(UInt8(ascii: "%")), raw.count) != nil
            let path = escaped ? Self.unescape(String(decoding: raw, as: UTF8.self)) : String(decoding: raw, as: UTF8.self)
            files[path] = File(hash: hash, size: Int(size), key: key)
            if inOrder { order.append(path) }
            offset += 1
        }
        return (files, order)
    }

    /// The `hash key size path` lines of a record file, not read into values: each line's path
    /// (as written, escaped) and what says its bytes (`hash key size`'s hash and size), in the
    /// record's order. What a rebuild that patches a few files needs of the records of the site
    /// in place and of the back folder (`SiteStaging.keepEveryOtherFile`, `SiteWriter.commit`):
    /// 26,000 lines each at 10,000 actions, which it read into dictionaries, looked 26,000 paths
    /// up in and sorted again, to change a few of them.
    struct Lines: Sendable {
        let file: MappedFile
        /// Each line's path and its hash and size, as ranges of `file.bytes`.
        let lines: [(path: Range<Int>, hash: Range<Int>, size: Range<Int>)]

        /// Nil for anything this version did not write whole, or whose paths are not in strictly
        /// ascending byte order (a record sorts them as strings, the same order for paths that
        /// need no Unicode normalization, which are all a build writes but an asset's name).
        init?(_ file: MappedFile) {
            let buffer = file.bytes.assumingMemoryBound(to: UInt8.self)
            guard let base = buffer.baseAddress, let (version, memoryEnd) = SiteRecord.header(buffer), version == 2,
                  let start = SiteRecord.changeLogSection(buffer, after: memoryEnd)?.filesStart else { return nil }
            var lines: [(path: Range<Int>, hash: Range<Int>, size: Range<Int>)] = []
            lines.reserveCapacity(buffer.count / 60)
            var offset = start
            while offset < buffer.count {
                guard let newline = memchr(base + offset, Int32(UInt8(ascii: "\n")), buffer.count - offset) else { return nil }
                let end = base.distance(to: newline.assumingMemoryBound(to: UInt8.self))
                // `hash key size path`: the hash and key are 16 digits each.
                guard end - offset > 35, buffer[offset + 16] == UInt8(ascii: " "), buffer[offset + 33] == UInt8(ascii: " "),
                      let sizeEnd = buffer[(offset + 34)..<end].firstIndex(of: UInt8(ascii: " ")), sizeEnd > offset + 34, sizeEnd + 1 < end else { return nil }
                let path = (sizeEnd + 1)..<end
                if let last = lines.last, compareBytes(buffer, last.path, buffer, path) >= 0 { return nil }
                lines.append((path, offset..<(offset + 16), (offset + 34)..<sizeEnd))
                offset = end + 1
            }
            self.file = file
            self.lines = lines
        }

        /// A line's file: its hash, size and key.
        func entry(_ number: Int) -> File {
            let bytes = file.bytes.assumingMemoryBound(to: UInt8.self)
            let line = lines[number]
            func value(_ range: Range<Int>, radix: UInt64) -> UInt64 {
                bytes[range].reduce(0) { value, byte in value &* radix &+ UInt64(byte >= UInt8(ascii: "a") ? byte - UInt8(ascii: "a") + 10 : byte - UInt8(ascii: "0")) }
            }
            return File(hash: value(line.hash, radix: 16), size: Int(value(line.size, radix: 10)),
                        key: value(line.hash.upperBound + 1..<line.hash.upperBound + 17, radix: 16))
        }

        /// The number of the line with `path`, found by halving; nil if there is none.
        func find(_ path: String) -> Int? {
            var escaped = SiteRecord.escape(path)
            return escaped.withUTF8 { wanted in
                let bytes = file.bytes.assumingMemoryBound(to: UInt8.self)
                var low = 0, high = lines.count
                while low < high {
                    let middle = (low + high) / 2
                    let order = compareBytes(bytes, lines[middle].path, wanted, 0..<wanted.count)
                    if order == 0 { return middle }
                    if order < 0 { low = middle + 1 } else { high = middle }
                }
                return nil
            }
        }

        /// These lines with each of `files` in its place: its line replaced, or added where its
        /// path goes. The lines of a record made of the same files (`SiteRecord.encoded`).
        func replacing(_ files: [String: File]) -> [UInt8] {
            let bytes = file.bytes.assumingMemoryBound(to: UInt8.self)
            var changed = files.map { (path: $0.key, escaped: Array(SiteRecord.escape($0.key).utf8), file: $0.value) }
            changed.sort { $0.escaped.lexicographicallyPrecedes($1.escaped) }
            var output: [UInt8] = []
            output.reserveCapacity((lines.last?.path.upperBound ?? 0) - (lines.first?.hash.lowerBound ?? 0) + 128 * changed.count + 1)
            var copied = lines.first?.hash.lowerBound ?? bytes.count
            var next = 0
            for line in lines {
                // The changed paths before this line's, then this line or its replacement.
                while next < changed.count {
                    let order = changed[next].escaped.withUnsafeBufferPointer { compareBytes($0, 0..<$0.count, bytes, line.path) }
                    if order > 0 { break }
                    output += UnsafeBufferPointer(rebasing: bytes[copied..<line.hash.lowerBound])
                    SiteRecord.appendLine(changed[next].path, changed[next].file, to: &output)
                    copied = order == 0 ? line.path.upperBound + 1 : line.hash.lowerBound
                    next += 1
                    if order == 0 { break }
                }
            }
            output += UnsafeBufferPointer(rebasing: bytes[copied..<(lines.last.map { $0.path.upperBound + 1 } ?? copied)])
            for rest in changed[next...] { SiteRecord.appendLine(rest.path, rest.file, to: &output) }
            return output
        }

        /// A line's path as a string.
        func path(_ number: Int) -> String {
            let raw = String(decoding: UnsafeRawBufferPointer(rebasing: file.bytes[lines[number].path]), as: UTF8.self)
            return raw.utf8.contains(UInt8(ascii: "%")) ? SiteRecord.unescape(raw) : raw
        }
    }

    /// A path is one line: a newline (possible in an asset's file name) and `%` are escaped.
    fileprivate static func escape(_ path: String) -> String {
        guard path.utf8.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }) else { return path }
        return path.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\n", with: "%0A").replacingOccurrences(of: "\r", with: "%0D")
    }

    /// Only for a path with a `%` in it (`files(encoded:from:)` looks with `memchr`).
    fileprivate static func unescape(_ path: String) -> String {
        path.replacingOccurrences(of: "%0A", with: "\n").replacingOccurrences(of: "%0D", with: "\r").replacingOccurrences(of: "%25", with: "%")
    }
}
