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
        /// `ChangeLog.stateJSON` of the published change log.
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

    private static let signature = "dossier site record 1\n"

    /// The signature line, the memory as one line of JSON, then a line per file:
    /// `hash key size path`, hashes in hex, sorted by path so equal records are equal bytes.
    public func encoded() -> [UInt8] {
        var bytes = Array(Self.signature.utf8)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        bytes += [UInt8]((try? encoder.encode(memory)) ?? Data("{}".utf8))
        bytes.append(UInt8(ascii: "\n"))
        bytes.reserveCapacity(bytes.count + files.count * 80)
        for (path, file) in files.sorted(by: { $0.key < $1.key }) {
            bytes += Array("\(Self.hex(file.hash)) \(Self.hex(file.key)) \(file.size) \(Self.escape(path))\n".utf8)
        }
        return bytes
    }

    /// The memory alone, without reading the list of files (a rebuild with nothing to do needs
    /// only that); nil for anything this version did not write.
    public static func memory(encoded bytes: [UInt8]) -> (Memory, end: Int)? {
        let signature = Array(Self.signature.utf8)
        guard bytes.count > signature.count, Array(bytes[0..<signature.count]) == signature,
              let memoryEnd = bytes[signature.count...].firstIndex(of: UInt8(ascii: "\n")),
              let memory = try? JSONDecoder().decode(Memory.self, from: Data(bytes[signature.count..<memoryEnd])) else { return nil }
        return (memory, memoryEnd)
    }

    /// nil for anything this version did not write whole: the caller then trusts nothing.
    public init?(encoded bytes: [UInt8]) {
        guard let (memory, memoryEnd) = Self.memory(encoded: bytes), let files = Self.files(encoded: bytes, from: memoryEnd + 1) else { return nil }
        self.init(files: files, memory: memory)
    }

    /// The list of files alone, without decoding the memory (a build staging its back folder
    /// needs only that, and the memory holds the change log's state: megabytes of JSON).
    public static func files(encoded bytes: [UInt8]) -> [String: File]? {
        let signature = Array(Self.signature.utf8)
        guard bytes.count > signature.count, Array(bytes[0..<signature.count]) == signature,
              let memoryEnd = bytes[signature.count...].firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        return files(encoded: bytes, from: memoryEnd + 1)
    }

    /// Reads the `hash key size path` lines from `start` byte by byte: 26,000 of them at 10,000
    /// actions, read by every build.
    private static func files(encoded bytes: [UInt8], from start: Int) -> [String: File]? {
        bytes.withUnsafeBufferPointer { buffer -> [String: File]? in
            var files: [String: File] = [:]
            files.reserveCapacity(buffer.count / 60)
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
                while offset < buffer.count, buffer[offset] != UInt8(ascii: "\n") { offset += 1 }
                guard offset < buffer.count else { return nil }
                let path = String(decoding: UnsafeBufferPointer(rebasing: buffer[pathStart..<offset]), as: UTF8.self)
                files[Self.unescape(path)] = File(hash: hash, size: Int(size), key: key)
                offset += 1
            }
            return files
        }
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// A path is one line: a newline (possible in an asset's file name) and `%` are escaped.
    private static func escape(_ path: String) -> String {
        guard path.contains(where: { $0 == "%" || $0 == "\n" || $0 == "\r" }) else { return path }
        return path.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\n", with: "%0A").replacingOccurrences(of: "\r", with: "%0D")
    }

    private static func unescape(_ path: String) -> String {
        guard path.contains("%") else { return path }
        return path.replacingOccurrences(of: "%0A", with: "\n").replacingOccurrences(of: "%0D", with: "\r").replacingOccurrences(of: "%25", with: "%")
    }
}
