import Foundation

/// Parsed case files of earlier builds, so a rebuild parses only the files that changed.
///
/// Parsing a case file depends on nothing but its path and its bytes (and the build of dossier,
/// `InputStamp.tool`, which the whole cache belongs to). An entry is good for a file when the
/// path, the kind (actor, action, page), the byte count and the `ContentHash` of the bytes are
/// the ones it was parsed from. Files whose parse had any diagnostic, or yielded no model, are
/// not kept: their messages must show on every build.
///
/// Each entry also keeps the `FileSignature` the file was read with: the loader does not read a
/// file that still has it, and its model comes from the entry alone.
///
/// The body is not stored when it is the file's own tail (no CR, which decoding turns into LF):
/// the entry keeps its length and hash, and the body is sliced from the file's bytes when they
/// were read, or left in the file (`Body.loaded()`). The path is the file's. Entries are decoded
/// only when used, on every core.
///
/// File layout (integers little-endian, `varint` LEB128):
///
///     "dossier parse cache 3\n"  u64 tool  u64 count
///     count x { u8 kind  u64 content hash  u64 byte count  u64 signature  u64 path length  path
///               u64 payload length  payload }
///     u64 ContentHash of everything before it
///
/// A payload is the slug, the body (varint first line, then 0 + varint tail length + u64
/// Markdown hash, or 1 + string), then the model's fields in declaration order (see
/// `encodeFields`), then its `cachedFingerprint` (u64), which the linker would otherwise hash
/// again for every case file of every build. A cache that is damaged or another build's is empty.
public struct ParseCache: Sendable {
    struct Slot: Sendable {
        var kind: UInt8
        var contentHash: UInt64
        var byteCount: Int
        var signature: UInt64
        var path: Range<Int>
        var payload: Range<Int>
    }

    /// The encoded cache; `slots` point into it.
    private let storage: Data
    /// By the `ContentHash` of the case file's path (checked against the path itself), so that
    /// reading the cache makes no strings.
    private let slots: [UInt64: Slot]

    public init() {
        storage = Data()
        slots = [:]
    }

    public var count: Int { slots.count }

    static let signature = Array("dossier parse cache 3\n".utf8)

    /// An empty cache for anything another build of dossier wrote, or that is damaged.
    public init(encoded data: Data) {
        let slots = data.withUnsafeBytes { Self.index(UnsafeRawBufferPointer($0)) }
        self.storage = slots == nil ? Data() : data
        self.slots = slots ?? [:]
    }

    private static func index(_ bytes: UnsafeRawBufferPointer) -> [UInt64: Slot]? {
        let headerCount = signature.count + 16
        guard bytes.count >= headerCount + 8, bytes.starts(with: signature) else { return nil }
        let end = bytes.count - 8
        guard ContentHash.of(UnsafeRawBufferPointer(rebasing: bytes[..<end])) == UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: end, as: UInt64.self)) else { return nil }
        var reader = ByteReader(bytes: UnsafeRawBufferPointer(rebasing: bytes[..<end]), offset: signature.count)
        guard reader.word() == InputStamp.tool(), let count = reader.word(), count <= UInt64(end) else { return nil }
        var slots: [UInt64: Slot] = [:]
        slots.reserveCapacity(Int(count))
        for _ in 0..<count {
            guard let kind = reader.byte(), let contentHash = reader.word(), let byteCount = reader.word(), byteCount < UInt64(Int.max),
                  let signature = reader.word(), let pathLength = reader.word(), pathLength <= UInt64(end - reader.offset) else { return nil }
            let path = reader.offset..<reader.offset + Int(pathLength)
            reader.offset = path.upperBound
            guard let payloadLength = reader.word(), payloadLength <= UInt64(end - reader.offset) else { return nil }
            let payload = reader.offset..<reader.offset + Int(payloadLength)
            reader.offset = payload.upperBound
            slots[ContentHash.of(UnsafeRawBufferPointer(rebasing: bytes[path]))] = Slot(kind: kind, contentHash: contentHash, byteCount: Int(byteCount), signature: signature, path: path, payload: payload)
        }
        guard reader.offset == end else { return nil }
        return slots
    }

    /// The `FileSignature` the file at `path` (relative) had when its entry was made; 0 for none.
    func signature(of path: String) -> UInt64 {
        var path = path
        guard let slot = slots[ContentHash.of(path)], slot.signature != 0, holds(path: &path, in: slot) else { return 0 }
        return slot.signature
    }

    /// Whether `slot` is the entry of `path` itself, not of another path with the same hash.
    private func holds(path: inout String, in slot: Slot) -> Bool {
        storage.withUnsafeBytes { storage in
            path.withUTF8 { path in
                path.count == slot.path.count && (path.isEmpty || memcmp(path.baseAddress!, storage.baseAddress! + slot.path.lowerBound, path.count) == 0)
            }
        }
    }

    /// The model this cache holds for `file`, if it was parsed from the same path and bytes, or,
    /// for a file the loader left unread, from the same path and `FileSignature`.
    func model<Model: ParseCacheable>(for file: SourceFile, contentHash: UInt64) -> (Model, Slot, fingerprint: UInt64)? {
        var path = file.path
        guard let slot = slots[ContentHash.of(path)], slot.kind == Model.parseCacheKind else { return nil }
        if let unreadPath = file.unreadPath {
            guard slot.signature == file.signature, slot.signature != 0 else { return nil }
            return decode(slot, path: &path) { reader in reader.body(leftIn: unreadPath) }.map { ($0.0, slot, $0.fingerprint) }
        }
        guard slot.contentHash == contentHash, slot.byteCount == file.bytes.count else { return nil }
        return file.bytes.withUnsafeBytes { fileBytes in
            decode(slot, path: &path) { reader in reader.body(file: fileBytes) }.map { ($0.0, slot, $0.fingerprint) }
        }
    }

    private func decode<Model: ParseCacheable>(_ slot: Slot, path: inout String, body readBody: (inout ByteReader) -> Body?) -> (Model, fingerprint: UInt64)? {
        guard holds(path: &path, in: slot) else { return nil }
        return storage.withUnsafeBytes { storage in
            var reader = ByteReader(bytes: UnsafeRawBufferPointer(rebasing: storage[slot.payload]), offset: 0)
            guard let slug = reader.text(), let body = readBody(&reader),
                  let model = Model.decodeFields(&reader, slug: slug, path: path, body: body),
                  let fingerprint = reader.word(), reader.offset == reader.bytes.count else { return nil }
            return (model, fingerprint)
        }
    }

    // MARK: Parsing through the cache

    /// Parses `files` with `parser`, taking from `next.previous` every model it holds good and
    /// noting in `next` what the next build's cache holds. With no `next`, just parses. A model
    /// from the cache comes with its `cachedFingerprint`.
    static func parse<Model: ParseCacheable>(
        _ files: [SourceFile], next: inout Next?, _ parser: @escaping @Sendable (SourceFile) -> (Model?, [Diagnostic])
    ) -> [(Model?, [Diagnostic], fingerprint: UInt64?)] {
        guard let previous = next?.previous else {
            return files.parallelMap { file in
                let (model, diagnostics) = parser(file)
                return (model, diagnostics, nil)
            }
        }
        // Each file's entry goes to its own place, so the models are not copied again to part them.
        let entries = EntrySlots(count: files.count)
        /// A file read (by the loader, or here): from the cache by its bytes, else parsed.
        @Sendable func parseRead(_ file: SourceFile, at index: Int) -> (Model?, [Diagnostic], fingerprint: UInt64?) {
            let contentHash = file.bytes.withUnsafeBytes { ContentHash.of($0) }
            let hit: (Model, Slot, fingerprint: UInt64)? = previous.model(for: file, contentHash: contentHash)
            if let (model, slot, fingerprint) = hit {
                entries.buffer[index] = Next.Entry(path: file.path, kind: Model.parseCacheKind, contentHash: contentHash, byteCount: file.bytes.count,
                                                   signature: file.signature, payload: .kept(slot.payload), signatureChanged: file.signature != slot.signature)
                return (model, [], fingerprint)
            }
            let (model, diagnostics) = parser(file)
            guard let model, diagnostics.isEmpty, model.path == file.path else { return (model, diagnostics, nil) }
            let tail = Self.tailLength(of: model.body, in: file)
            // Not `file`: the closure lives until the cache is saved, and must not keep the bytes.
            let path = file.path
            entries.buffer[index] = Next.Entry(path: path, kind: Model.parseCacheKind, contentHash: contentHash, byteCount: file.bytes.count,
                                               signature: file.signature, payload: .parsed { writer in
                                                   writer.text(model.slug)
                                                   writer.body(model.body, tailLength: tail)
                                                   model.encodeFields(&writer, path: path)
                                                   writer.word(model.cachedFingerprint)
                                               })
            return (model, diagnostics, nil)
        }
        // Each file is read through the array, never bound to a name: a copy counted a
        // reference to each of its fields, for 12,000 files a build.
        let results = Array(files.indices).parallelMap { index -> (Model?, [Diagnostic], fingerprint: UInt64?) in
            guard let unreadPath = files[index].unreadPath else { return parseRead(files[index], at: index) }
            let hit: (Model, Slot, fingerprint: UInt64)? = previous.model(for: files[index], contentHash: 0)
            if let (model, slot, fingerprint) = hit {
                entries.buffer[index] = Next.Entry(path: files[index].path, kind: Model.parseCacheKind, contentHash: slot.contentHash, byteCount: slot.byteCount,
                                                   signature: slot.signature, payload: .kept(slot.payload))
                return (model, [], fingerprint)
            }
            // The loader trusted an entry this cache cannot decode after all: read the file.
            var diagnostics: [Diagnostic] = []
            guard let read = BriefingLoader.readFile(unreadPath, relativePath: files[index].path, limit: BriefingLoader.textFileLimit, into: &diagnostics) else {
                return (nil, diagnostics, nil)
            }
            return parseRead(read, at: index)
        }
        for entry in entries.buffer {
            guard let entry else { continue }
            if case .kept = entry.payload { next!.hits += 1 }
            if entry.signatureChanged { next!.signaturesChanged = true }
            next!.entries.append(entry)
        }
        return results
    }

    /// One entry per file, each written by the one task that handles the file.
    private final class EntrySlots: @unchecked Sendable {
        let buffer: UnsafeMutableBufferPointer<Next.Entry?>

        init(count: Int) {
            buffer = .allocate(capacity: count)
            buffer.initialize(repeating: nil)
        }

        deinit {
            buffer.deinitialize()
            buffer.deallocate()
        }
    }

    /// The body's length if it is, byte for byte, the end of the file; nil if decoding changed it.
    static func tailLength(of body: Body, in file: SourceFile) -> Int? {
        var markdown = body.markdown
        return markdown.withUTF8 { markdown in
            file.bytes.withUnsafeBytes { bytes in
                guard markdown.count <= bytes.count else { return nil }
                let tail = UnsafeRawBufferPointer(rebasing: bytes[(bytes.count - markdown.count)...])
                return markdown.count == 0 || memcmp(tail.baseAddress!, markdown.baseAddress!, markdown.count) == 0 ? markdown.count : nil
            }
        }
    }

    /// The cache for the next build: the entries this build kept or parsed, encoded only when
    /// it is saved (in the background, off the build's critical path).
    public struct Next: Sendable {
        struct Entry: Sendable {
            enum Payload: Sendable {
                /// The payload bytes in `previous`.
                case kept(Range<Int>)
                case parsed(@Sendable (inout ParseCacheWriter) -> Void)
            }
            var path: String
            var kind: UInt8
            var contentHash: UInt64
            var byteCount: Int
            var signature: UInt64
            var payload: Payload
            /// A kept entry whose file was read with another signature (touched, or now old
            /// enough to trust), which the next cache must hold.
            var signatureChanged = false
        }

        let previous: ParseCache
        var entries: [Entry] = []
        /// Files whose model came from `previous`.
        var hits = 0
        var signaturesChanged = false

        public init(previous: ParseCache) {
            self.previous = previous
        }

        /// The `ContentHash` of each case file it keeps a model of, by path.
        public var contentHashes: [String: UInt64] {
            var hashes: [String: UInt64] = [:]
            hashes.reserveCapacity(entries.count)
            for entry in entries { hashes[entry.path] = entry.contentHash }
            return hashes
        }

        /// Whether it differs from `previous`: a file parsed anew, or an entry no longer used.
        public var changed: Bool { entries.count != hits || hits != previous.count || signaturesChanged }

        public func encoded() -> [UInt8] {
            var writer = ParseCacheWriter()
            writer.bytes.reserveCapacity(previous.storage.count + 1024)
            writer.bytes += ParseCache.signature
            writer.word(InputStamp.tool())
            writer.word(UInt64(entries.count))
            var payload = ParseCacheWriter()
            previous.storage.withUnsafeBytes { storage in
                for entry in entries {
                    writer.bytes.append(entry.kind)
                    writer.word(entry.contentHash)
                    writer.word(UInt64(entry.byteCount))
                    writer.word(entry.signature)
                    writer.word(UInt64(entry.path.utf8.count))
                    writer.bytes += entry.path.utf8
                    switch entry.payload {
                    case .kept(let range):
                        writer.word(UInt64(range.count))
                        writer.bytes += UnsafeRawBufferPointer(rebasing: storage[range])
                    case .parsed(let encode):
                        payload.bytes.removeAll(keepingCapacity: true)
                        encode(&payload)
                        writer.word(UInt64(payload.bytes.count))
                        writer.bytes += payload.bytes
                    }
                }
            }
            let checksum = writer.bytes.withUnsafeBytes { ContentHash.of($0) }
            writer.word(checksum)
            return writer.bytes
        }
    }
}

/// A model the parse cache can hold: the fields besides slug, path and body, in order. The
/// path is the file's, and where a reference's location is in the file its path is not written.
protocol ParseCacheable: Sendable {
    static var parseCacheKind: UInt8 { get }
    var slug: String { get }
    var path: String { get }
    var body: Body { get }
    func encodeFields(_ writer: inout ParseCacheWriter, path: String)
    static func decodeFields(_ reader: inout ByteReader, slug: String, path: String, body: Body) -> Self?
    /// What the linker fingerprints the model by: `contentFingerprint` (actors, actions) or
    /// `headFingerprint` (pages).
    var cachedFingerprint: UInt64 { get }
}

extension Actor {
    var cachedFingerprint: UInt64 { contentFingerprint }
}

extension Action {
    var cachedFingerprint: UInt64 { contentFingerprint }
}

extension Page {
    var cachedFingerprint: UInt64 { headFingerprint }
}

extension Actor: ParseCacheable {
    static var parseCacheKind: UInt8 { 1 }

    func encodeFields(_ writer: inout ParseCacheWriter, path: String) {
        writer.text(name)
        writer.choice(type)
        writer.texts(aliases)
        writer.optionalText(country)
        writer.texts(roles)
        writer.optionalText(summary)
        writer.texts(tags)
        writer.flag(draft)
        writer.optionalDate(updated)
        writer.optionalExtra(extra)
    }

    static func decodeFields(_ reader: inout ByteReader, slug: String, path: String, body: Body) -> Actor? {
        guard let name = reader.text(), let type = reader.choice(ActorType.self), let aliases = reader.texts(),
              let country = reader.optionalText(), let roles = reader.texts(), let summary = reader.optionalText(),
              let tags = reader.texts(), let draft = reader.flag(), let updated = reader.optionalDate(),
              let extra = reader.optionalExtra() else { return nil }
        return Actor(slug: slug, path: path, name: name, type: type, aliases: aliases, country: country, roles: roles,
                    summary: summary, tags: tags, draft: draft, updated: updated, extra: extra, body: body)
    }
}

extension Action: ParseCacheable {
    static var parseCacheKind: UInt8 { 2 }

    func encodeFields(_ writer: inout ParseCacheWriter, path: String) {
        writer.text(title)
        writer.date(date)
        writer.choice(type)
        writer.references(by, path: path)
        writer.references(targets, path: path)
        writer.references(involves, path: path)
        writer.texts(measures)
        writer.texts(legalBasis)
        writer.optionalChoice(status)
        writer.optionalDate(ends)
        writer.references(respondsTo, path: path)
        writer.references(related, path: path)
        writer.varint(UInt64(sources.count))
        for source in sources {
            writer.text(source.title)
            writer.optionalText(source.url)
            writer.optionalText(source.publisher)
            writer.optionalDate(source.date)
        }
        writer.optionalText(summary)
        writer.texts(tags)
        writer.flag(draft)
        writer.optionalDate(updated)
        writer.optionalExtra(extra)
    }

    static func decodeFields(_ reader: inout ByteReader, slug: String, path: String, body: Body) -> Action? {
        guard let title = reader.text(), let date = reader.date(), let type = reader.choice(ActionType.self),
              let by = reader.references(path: path), let targets = reader.references(path: path),
              let involves = reader.references(path: path), let measures = reader.texts(), let legalBasis = reader.texts(),
              let status = reader.optionalChoice(ActionStatus.self), let ends = reader.optionalDate(),
              let respondsTo = reader.references(path: path), let related = reader.references(path: path),
              let sourceCount = reader.count() else { return nil }
        var sources: [SourceCitation] = []
        sources.reserveCapacity(sourceCount)
        for _ in 0..<sourceCount {
            guard let title = reader.text(), let url = reader.optionalText(), let publisher = reader.optionalText(),
                  let date = reader.optionalDate() else { return nil }
            sources.append(SourceCitation(title: title, url: url, publisher: publisher, date: date))
        }
        guard let summary = reader.optionalText(), let tags = reader.texts(), let draft = reader.flag(),
              let updated = reader.optionalDate(), let extra = reader.optionalExtra() else { return nil }
        return Action(slug: slug, path: path, title: title, date: date, type: type, by: by, targets: targets, involves: involves,
                     measures: measures, legalBasis: legalBasis, status: status, ends: ends, respondsTo: respondsTo, related: related,
                     sources: sources, summary: summary, tags: tags, draft: draft, updated: updated, extra: extra, body: body)
    }
}

extension Page: ParseCacheable {
    static var parseCacheKind: UInt8 { 3 }

    func encodeFields(_ writer: inout ParseCacheWriter, path: String) {
        writer.text(title)
        writer.optionalText(summary)
        writer.flag(draft)
        writer.optionalDate(updated)
        writer.optionalExtra(extra)
    }

    static func decodeFields(_ reader: inout ByteReader, slug: String, path: String, body: Body) -> Page? {
        guard let title = reader.text(), let summary = reader.optionalText(), let draft = reader.flag(),
              let updated = reader.optionalDate(), let extra = reader.optionalExtra() else { return nil }
        var page = Page(slug: slug, path: path, title: title, body: body)
        page.summary = summary
        page.draft = draft
        page.updated = updated
        page.extra = extra
        return page
    }
}

// MARK: Bytes

/// Appends the parse cache's values: varints, strings as length and UTF-8, optionals as 0 or
/// a value one higher.
struct ParseCacheWriter {
    var bytes: [UInt8] = []

    mutating func word(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    /// Zigzag, so small negative numbers stay short.
    mutating func integer(_ value: Int) {
        varint(UInt64(bitPattern: Int64((value << 1) ^ (value >> (Int.bitWidth - 1)))))
    }

    mutating func flag(_ value: Bool) { bytes.append(value ? 1 : 0) }

    mutating func text(_ text: String) {
        varint(UInt64(text.utf8.count))
        bytes += text.utf8
    }

    mutating func optionalText(_ text: String?) {
        guard let text else { return varint(0) }
        varint(UInt64(text.utf8.count) + 1)
        bytes += text.utf8
    }

    mutating func texts(_ texts: [String]) {
        varint(UInt64(texts.count))
        for text in texts { self.text(text) }
    }

    /// Never 0: a day is at least 1.
    static func packed(_ date: DayDate) -> UInt64 { UInt64(date.year) << 9 | UInt64(date.month) << 5 | UInt64(date.day) }

    mutating func date(_ date: DayDate) { varint(Self.packed(date)) }

    mutating func optionalDate(_ date: DayDate?) { varint(date.map(Self.packed) ?? 0) }

    /// The case's place in `allCases`: the cache belongs to one build of dossier, so it is stable.
    static func index<T: CaseIterable & Equatable>(of value: T) -> UInt64 {
        UInt64(T.allCases.distance(from: T.allCases.startIndex, to: T.allCases.firstIndex(of: value)!))
    }

    mutating func choice<T: CaseIterable & Equatable>(_ value: T) { varint(Self.index(of: value)) }

    mutating func optionalChoice<T: CaseIterable & Equatable>(_ value: T?) { varint(value.map { Self.index(of: $0) + 1 } ?? 0) }

    /// A location in the file itself (all of them, from the parser) is written without its path.
    mutating func references(_ references: [Reference], path: String) {
        varint(UInt64(references.count))
        for reference in references {
            text(reference.slug)
            integer(reference.location.line)
            integer(reference.location.column)
            if reference.location.path == path {
                varint(0)
            } else {
                optionalText(reference.location.path)
            }
        }
    }

    mutating func body(_ body: Body, tailLength: Int?) {
        integer(body.firstLine)
        if let tailLength {
            bytes.append(0)
            varint(UInt64(tailLength))
            word(body.markdownHash)
        } else {
            bytes.append(1)
            text(body.markdown)
        }
    }

    mutating func optionalExtra(_ value: ExtraValue?) {
        guard let value else { return bytes.append(0) }
        extra(value)
    }

    mutating func extra(_ value: ExtraValue) {
        switch value {
        case .string(let text):
            bytes.append(1)
            self.text(text)
        case .bool(let flag):
            bytes.append(flag ? 3 : 2)
        case .list(let values):
            bytes.append(4)
            varint(UInt64(values.count))
            for value in values { extra(value) }
        case .mapping(let pairs):
            bytes.append(5)
            varint(UInt64(pairs.count))
            for pair in pairs {
                text(pair.key)
                extra(pair.value)
            }
        case .null:
            bytes.append(6)
        }
    }
}

/// Reads what `ParseCacheWriter` wrote; nil for anything out of bounds or out of range.
/// What only the parse cache reads: dates, choices, references (Model/ByteReader.swift reads the rest).
extension ByteReader {
    static func unpacked(_ packed: UInt64) -> DayDate? {
        guard packed < 1 << 23 else { return nil }
        return DayDate(year: Int(packed >> 9), month: Int(packed >> 5 & 0xF), day: Int(packed & 0x1F))
    }

    mutating func date() -> DayDate? {
        varint().flatMap(Self.unpacked)
    }

    mutating func optionalDate() -> DayDate?? {
        guard let packed = varint() else { return nil }
        if packed == 0 { return .some(nil) }
        return Self.unpacked(packed).map { .some($0) }
    }

    mutating func choice<T: CaseIterable>(_ type: T.Type) -> T? {
        guard let index = varint(), index < UInt64(T.allCases.count) else { return nil }
        return T.allCases[T.allCases.index(T.allCases.startIndex, offsetBy: Int(index))]
    }

    mutating func optionalChoice<T: CaseIterable>(_ type: T.Type) -> T?? {
        guard let index = varint(), index <= UInt64(T.allCases.count) else { return nil }
        if index == 0 { return .some(nil) }
        return .some(T.allCases[T.allCases.index(T.allCases.startIndex, offsetBy: Int(index - 1))])
    }

    mutating func references(path: String) -> [Reference]? {
        guard let count = count() else { return nil }
        var references: [Reference] = []
        references.reserveCapacity(count)
        for _ in 0..<count {
            guard let slug = text(), let line = integer(), let column = integer(), let otherPath = optionalText() else { return nil }
            references.append(Reference(slug, at: SourceLocation(path: otherPath ?? path, line: line, column: column)))
        }
        return references
    }

    /// The body, sliced from `file` when the entry gives only the length of the file's tail.
    mutating func body(file: UnsafeRawBufferPointer) -> Body? {
        guard let firstLine = integer() else { return nil }
        switch byte() {
        case 0:
            guard let length = varint(), length <= UInt64(file.count), let hash = word() else { return nil }
            let markdown = String(decoding: UnsafeRawBufferPointer(rebasing: file[(file.count - Int(length))...]), as: UTF8.self)
            return Body(markdown: markdown, firstLine: firstLine, markdownHash: hash)
        case 1:
            return text().map { Body(markdown: $0, firstLine: firstLine) }
        default:
            return nil
        }
    }

    /// The body, left in the file at `path` (absolute) when the entry gives only the length of
    /// the file's tail.
    mutating func body(leftIn path: String) -> Body? {
        guard let firstLine = integer() else { return nil }
        switch byte() {
        case 0:
            guard let length = varint(), length < UInt64(Int.max), let hash = word() else { return nil }
            return Body(leftIn: path, length: Int(length), firstLine: firstLine, markdownHash: hash)
        case 1:
            return text().map { Body(markdown: $0, firstLine: firstLine) }
        default:
            return nil
        }
    }

    mutating func optionalExtra() -> ExtraValue?? {
        guard offset < bytes.count else { return nil }
        if bytes[offset] == 0 {
            offset += 1
            return .some(nil)
        }
        var budget = YAMLMapping.extraValueLimit
        return extra(depth: 0, budget: &budget).map { .some($0) }
    }

    /// At most as deep and as many values as the parser allows.
    mutating func extra(depth: Int, budget: inout Int) -> ExtraValue? {
        budget -= 1
        guard depth <= 1000, budget >= 0, let tag = byte() else { return nil }
        switch tag {
        case 1: return text().map { .string($0) }
        case 2: return .bool(false)
        case 3: return .bool(true)
        case 4:
            guard let count = count() else { return nil }
            var values: [ExtraValue] = []
            values.reserveCapacity(count)
            for _ in 0..<count {
                guard let value = extra(depth: depth + 1, budget: &budget) else { return nil }
                values.append(value)
            }
            return .list(values)
        case 5:
            guard let count = count() else { return nil }
            var pairs: [(key: String, value: ExtraValue)] = []
            pairs.reserveCapacity(count)
            for _ in 0..<count {
                guard let key = text(), let value = extra(depth: depth + 1, budget: &budget) else { return nil }
                pairs.append((key, value))
            }
            return .mapping(pairs)
        case 6: return .null
        default: return nil
        }
    }
}
