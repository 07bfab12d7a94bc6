import Foundation

/// The change log's state as lines of bytes (`ChangeLog.state`): how they are written, read,
/// and compared with a briefing without being made into values.
///
/// A build compares every actor and action with the last published snapshot: 14,000 records at
/// 10,000 actions, of which an edit changes one. Read into dictionaries of strings and written
/// back from them, that was a tenth of a one-body rebuild's CPU time. Here the briefing's
/// snapshot is written straight as the lines the state keeps, both sides in slug order, and a
/// record whose line is the same bytes as before is the same record: only the lines that differ
/// are read as values.
enum ChangeLogLines {
    static let actorKind = UInt8(ascii: "a"), actionKind = UInt8(ascii: "x"), entryKind = UInt8(ascii: "e")
    static let tab = UInt8(ascii: "\t"), newline = UInt8(ascii: "\n")

    // MARK: Writing

    /// A field, with backslash, tab, newline and carriage return escaped.
    static func appendField(_ value: String, to text: inout [UInt8]) {
        var value = value
        value.withUTF8 { bytes in
            // Most fields have nothing to escape: appended whole.
            guard bytes.contains(where: { $0 == UInt8(ascii: "\\") || $0 == tab || $0 == newline || $0 == UInt8(ascii: "\r") }) else {
                text.append(contentsOf: bytes)
                return
            }
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "\\"): text += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
                case tab: text += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
                case newline: text += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
                case UInt8(ascii: "\r"): text += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
                default: text.append(byte)
                }
            }
        }
    }

    /// `-` for none, `=` and the field for a value (which may be empty).
    static func appendOptional(_ value: String?, to text: inout [UInt8]) {
        if let value { text.append(UInt8(ascii: "=")); appendField(value, to: &text) } else { text.append(UInt8(ascii: "-")) }
    }

    /// `kind slug title status fingerprint`.
    static func appendRecord(kind: UInt8, slug: String, _ record: BriefingSnapshot.Record, to text: inout [UInt8]) {
        text.append(kind); text.append(tab)
        appendField(slug, to: &text); text.append(tab)
        appendField(record.title, to: &text); text.append(tab)
        appendOptional(record.status, to: &text); text.append(tab)
        appendField(record.fingerprint, to: &text)
        text.append(newline)
    }

    /// `e date kind slug title detail`.
    static func appendEntry(_ entry: ChangeEntry, to text: inout [UInt8]) {
        text.append(entryKind); text.append(tab)
        text += entry.date.description.utf8; text.append(tab)
        text += entry.kind.rawValue.utf8; text.append(tab)
        appendField(entry.slug, to: &text); text.append(tab)
        appendField(entry.title, to: &text); text.append(tab)
        appendOptional(entry.detail, to: &text)
        text.append(newline)
    }

    /// The entries' lines, a run of them on each core (12,000 at 10,000 actions, every build).
    static func entryLines(_ entries: [ChangeEntry]) -> [UInt8] {
        let runs = stride(from: 0, to: entries.count, by: 2048).map { $0..<min($0 + 2048, entries.count) }
        return runs.parallelMap { run in
            var text: [UInt8] = []
            text.reserveCapacity(96 * run.count)
            for index in run { appendEntry(entries[index], to: &text) }
            return text
        }.flatMap { $0 }
    }

    // MARK: Reading

    /// A field as written by `appendField`.
    static func field(_ raw: ArraySlice<UInt8>) -> String {
        guard raw.contains(UInt8(ascii: "\\")) else { return String(decoding: raw, as: UTF8.self) }
        var value: [UInt8] = []
        var escaped = false
        for byte in raw {
            if escaped {
                value.append(byte == UInt8(ascii: "t") ? 9 : byte == UInt8(ascii: "n") ? 10 : byte == UInt8(ascii: "r") ? 13 : byte)
                escaped = false
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
            } else {
                value.append(byte)
            }
        }
        return String(decoding: value, as: UTF8.self)
    }

    /// `.some(nil)` for `-`, the value for `=...`, nil for anything else.
    static func optional(_ raw: ArraySlice<UInt8>) -> String?? {
        raw.elementsEqual("-".utf8) ? .some(nil) : raw.first == UInt8(ascii: "=") ? .some(field(raw.dropFirst())) : nil
    }

    /// A line's fields, split at its tabs.
    static func fields(_ text: [UInt8], _ line: Range<Int>) -> [ArraySlice<UInt8>] {
        text[line].split(separator: tab, omittingEmptySubsequences: false)
    }

    /// A snapshot line's record, its slug aside; nil if it is not one.
    static func record(_ text: [UInt8], _ line: Range<Int>) -> (slug: String, record: BriefingSnapshot.Record)? {
        let fields = fields(text, line)
        guard fields.count == 5, let status = optional(fields[3]) else { return nil }
        return (field(fields[1]), BriefingSnapshot.Record(title: field(fields[2]), status: status, fingerprint: field(fields[4])))
    }

    /// An entry line's entry (`appendEntry`), its fields read in place: 12,000 lines at 10,000
    /// actions, on every rebuild.
    static func entry(_ text: [UInt8], _ line: Range<Int>) -> ChangeEntry? {
        var tabs = (0, 0, 0, 0, 0)
        var count = 0
        for index in line where text[index] == tab {
            switch count {
            case 0: tabs.0 = index
            case 1: tabs.1 = index
            case 2: tabs.2 = index
            case 3: tabs.3 = index
            case 4: tabs.4 = index
            default: return nil
            }
            count += 1
        }
        guard count == 5, let date = DayDate(bytes: text[tabs.0 + 1..<tabs.1]),
              let kind = ChangeKind.allCases.first(where: { $0.rawValue.utf8.elementsEqual(text[tabs.1 + 1..<tabs.2]) }),
              let detail = optional(text[tabs.4 + 1..<line.upperBound]) else { return nil }
        return ChangeEntry(date: date, kind: kind, slug: field(text[tabs.2 + 1..<tabs.3]), title: field(text[tabs.3 + 1..<tabs.4]), detail: detail)
    }

    /// A snapshot line's slug field, as written (escaped): between the first two tabs.
    static func slugField(_ text: UnsafeBufferPointer<UInt8>, _ line: Range<Int>) -> Range<Int> {
        let start = line.lowerBound + 2
        var end = start
        while end < line.upperBound, text[end] != tab { end += 1 }
        return start..<end
    }

    /// Byte order of two ranges of `text`s.
    static func compare(_ a: UnsafeBufferPointer<UInt8>, _ first: Range<Int>, _ b: UnsafeBufferPointer<UInt8>, _ second: Range<Int>) -> Int32 {
        compareBytes(a, first, b, second)
    }

    /// The lines of a state after its signature, read in place: each snapshot line kept as a
    /// range (those of each kind, and whether they are in strictly ascending slug order), each
    /// entry read. Nil for anything `ChangeLog.state` could not have written.
    static func read(_ text: [UInt8], from start: Int) -> ChangeLog.Published? {
        guard let scanned = text.withUnsafeBufferPointer({ scan($0, from: start) }) else { return nil }
        var entries: [ChangeEntry] = []
        entries.reserveCapacity(scanned.entries.count)
        for line in scanned.entries {
            guard let entry = entry(text, line) else { return nil }
            entries.append(entry)
        }
        // Written in order: sorted again only if something else wrote it.
        let sorted = zip(entries, entries.dropFirst()).allSatisfy { !ChangeEntry.isBefore($1, $0) }
        return ChangeLog.Published(form: .lines(text: text, records: scanned.records, ascending: scanned.ascending),
                                   entries: sorted ? entries : entries.sorted(by: ChangeEntry.isBefore))
    }

    /// The lines of a state after its signature, none read: the snapshot lines of each kind
    /// (checked as `record` reads them) and whether each kind's are in strictly ascending slug
    /// order, and the entry lines; whether every entry line comes after every snapshot line, as
    /// `ChangeLog.state` writes them. Nil for a line of no kind.
    static func scan(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> (records: [[Range<Int>]], ascending: Bool, entries: [Range<Int>], entriesLast: Bool)? {
        var records: [[Range<Int>]] = [[], []]
        var ascending = true
        var entries: [Range<Int>] = []
        var entriesLast = true
        var lineStart = start
        while lineStart < buffer.count {
            let found = memchr(buffer.baseAddress! + lineStart, Int32(newline), buffer.count - lineStart)
            let lineEnd = found.map { buffer.baseAddress!.distance(to: $0.assumingMemoryBound(to: UInt8.self)) } ?? buffer.count
            defer { lineStart = lineEnd + 1 }
            guard lineEnd > lineStart else { continue }
            let line = lineStart..<lineEnd
            guard line.count >= 2, buffer[lineStart + 1] == tab else { return nil }
            switch buffer[lineStart] {
            case actorKind, actionKind:
                let kind = buffer[lineStart] == actorKind ? 0 : 1
                // Checked as `record` reads it; most lines are never read whole again.
                var tabs = 0
                var statusStart = 0
                for index in line where buffer[index] == tab {
                    tabs += 1
                    if tabs == 3 { statusStart = index + 1 }
                }
                guard tabs == 4, buffer[statusStart] == UInt8(ascii: "-") ? buffer[statusStart + 1] == tab : buffer[statusStart] == UInt8(ascii: "=") else { return nil }
                if let last = records[kind].last, compare(buffer, slugField(buffer, last), buffer, slugField(buffer, line)) >= 0 { ascending = false }
                records[kind].append(line)
                if !entries.isEmpty { entriesLast = false }
            case entryKind:
                entries.append(line)
            default:
                return nil
            }
        }
        return (records, ascending, entries, entriesLast)
    }

    // MARK: Comparing

    /// The briefing's snapshot lines of one kind, in slug order as `ChangeLog.state` writes
    /// them, made a run at a time on every core, with each line's range and graph index.
    static func currentLines(kind: UInt8, order: [Int], record: @Sendable (Int) -> (slug: String, record: BriefingSnapshot.Record)) -> (text: [UInt8], lines: [Range<Int>]) {
        let runs = stride(from: 0, to: order.count, by: 2048).map { $0..<min($0 + 2048, order.count) }
        let made = runs.parallelMap { run -> (text: [UInt8], ends: [Int]) in
            var text: [UInt8] = []
            text.reserveCapacity(128 * run.count)
            var ends: [Int] = []
            ends.reserveCapacity(run.count)
            for place in run {
                let (slug, value) = record(order[place])
                appendRecord(kind: kind, slug: slug, value, to: &text)
                ends.append(text.count - 1)
            }
            return (text, ends)
        }
        var text: [UInt8] = []
        text.reserveCapacity(made.reduce(0) { $0 + $1.text.count })
        var lines: [Range<Int>] = []
        lines.reserveCapacity(order.count)
        for run in made {
            let offset = text.count
            var start = offset
            for end in run.ends {
                lines.append(start..<(offset + end))
                start = offset + end + 1
            }
            text += run.text
        }
        return (text, lines)
    }

    /// Walks the last snapshot's lines and the briefing's of one kind together, both in slug
    /// order, and hands over each slug whose line differs: `then` the last record's line (nil
    /// for a new slug), `now` the briefing's place in `order` (nil for a removed one).
    static func differences(previous: [UInt8], previousLines: [Range<Int>], current: [UInt8], currentLines: [Range<Int>],
                            _ body: (_ then: Range<Int>?, _ now: Int?) -> Void) {
        previous.withUnsafeBufferPointer { old in
            current.withUnsafeBufferPointer { new in
                var a = 0, b = 0
                while a < previousLines.count || b < currentLines.count {
                    guard a < previousLines.count else { body(nil, b); b += 1; continue }
                    guard b < currentLines.count else { body(previousLines[a], nil); a += 1; continue }
                    let order = compare(old, slugField(old, previousLines[a]), new, slugField(new, currentLines[b]))
                    if order < 0 {
                        body(previousLines[a], nil)
                        a += 1
                    } else if order > 0 {
                        body(nil, b)
                        b += 1
                    } else {
                        if compare(old, previousLines[a], new, currentLines[b]) != 0 { body(previousLines[a], b) }
                        a += 1
                        b += 1
                    }
                }
            }
        }
    }

    /// Whether the lines are in strictly ascending slug order.
    static func ascending(_ text: [UInt8], _ lines: [Range<Int>]) -> Bool {
        text.withUnsafeBufferPointer { buffer in
            lines.indices.dropFirst().allSatisfy { compare(buffer, slugField(buffer, lines[$0 - 1]), buffer, slugField(buffer, lines[$0])) < 0 }
        }
    }
}
