import Foundation

/// The change log after a rebuild whose only changes are bodies (Build/BodyPatch.swift), worked
/// out from the state's lines without reading its entries: 12,000 at 10,000 actions, each read
/// into values and written again, and the log's JSON made again from all of them, were a
/// sixth of such a rebuild's time. The edited actions' and actors' snapshot lines are replaced
/// (`ChangeLog.bodyChanges`), each new "edited" entry's line goes in its place among the others
/// (found by halving, the entries being newest first), and only the entries the pages show are
/// read. The state is the one `ChangeLog.update` writes for the same edit.
struct ChangeLogPatch: Sendable {
    /// The state after.
    let state: String
    /// The new entries in the log's order, each with the number of entries before it in the
    /// log before.
    let added: [(before: Int, entry: ChangeEntry)]
    /// How many entries the log has after.
    let count: Int
    /// The years that have entries after, newest first.
    let years: [Int]
    /// The newest `ChangeLog.recentCount` entries after (all of them, if fewer).
    let recent: [ChangeEntry]
    /// Every entry, after, of each year a new entry is dated in.
    let entriesOfYear: [Int: [ChangeEntry]]
    /// The entry before each run of new ones, in the log before.
    private let entryBefore: [Int: ChangeEntry]

    /// Nil for a state not in this version's line form, or a slug without a line.
    init?(state before: String, edits: [ChangeLog.BodyEdit], asOf: DayDate?) {
        let text = Array(before.utf8)
        let start = ChangeLog.stateSignature.utf8.count
        guard text.starts(with: ChangeLog.stateSignature.utf8),
              let scanned = text.withUnsafeBufferPointer({ ChangeLogLines.scan($0, from: start) }), scanned.ascending, scanned.entriesLast,
              let (replacements, found) = ChangeLog.bodyChanges(text, records: scanned.records, edits: edits, asOf: asOf) else { return nil }
        let lines = scanned.entries
        func entry(_ number: Int) -> ChangeEntry? { ChangeLogLines.entry(text, lines[number]) }

        // Where each new entry goes: before the first entry it is not after.
        var added: [(before: Int, entry: ChangeEntry)] = []
        for new in found.sorted(by: ChangeEntry.isBefore) {
            var low = 0, high = lines.count
            while low < high {
                let middle = (low + high) / 2
                guard let old = entry(middle) else { return nil }
                if ChangeEntry.isBefore(old, new) { low = middle + 1 } else { high = middle }
            }
            // The same change seen twice is one entry (`ChangeLog.merged`).
            if low < lines.count, entry(low)?.id == new.id { continue }
            if added.last?.entry.id == new.id { continue }
            added.append((low, new))
        }
        self.added = added
        count = lines.count + added.count

        // The state: the snapshot's lines with the replacements, then the entries' with the new
        // ones in their places.
        let entriesStart = lines.first?.lowerBound ?? text.count
        var state: [UInt8] = []
        state.reserveCapacity(text.count + 128 * added.count)
        var copied = 0
        for (line, bytes) in replacements.sorted(by: { $0.line.lowerBound < $1.line.lowerBound }) {
            state += text[copied..<line.lowerBound]
            state += bytes
            copied = line.upperBound
        }
        state += text[copied..<entriesStart]
        copied = entriesStart
        for (before, new) in added {
            let place = before < lines.count ? lines[before].lowerBound : text.count
            state += text[copied..<place]
            ChangeLogLines.appendEntry(new, to: &state)
            copied = place
        }
        state += text[copied...]
        self.state = String(decoding: state, as: UTF8.self)

        // The entries of the old numbers `range`, with the new ones that go among them.
        func merged(_ range: Range<Int>) -> [ChangeEntry]? {
            var entries: [ChangeEntry] = []
            var next = added.firstIndex { $0.before >= range.lowerBound } ?? added.endIndex
            for number in range {
                while next < added.count, added[next].before == number { entries.append(added[next].entry); next += 1 }
                guard let old = entry(number) else { return nil }
                entries.append(old)
            }
            while next < added.count, added[next].before == range.upperBound { entries.append(added[next].entry); next += 1 }
            return entries
        }
        guard let recent = merged(0..<min(ChangeLog.recentCount, lines.count)) else { return nil }
        self.recent = Array(recent.prefix(ChangeLog.recentCount))

        // Each line's year, from its date after the kind (`ChangeLogLines.appendEntry`): the
        // entries are newest first, so a year's are together.
        var yearOfLine: [Int] = []
        yearOfLine.reserveCapacity(lines.count)
        for line in lines {
            guard line.count > 12, let date = DayDate(bytes: text[line.lowerBound + 2..<line.lowerBound + 12]) else { return nil }
            yearOfLine.append(date.year)
        }
        var years = Set(yearOfLine)
        var entriesOfYear: [Int: [ChangeEntry]] = [:]
        for year in Set(added.map(\.entry.date.year)) {
            years.insert(year)
            let first = yearOfLine.firstIndex { $0 <= year } ?? lines.count
            let end = yearOfLine[first...].firstIndex { $0 < year } ?? lines.count
            guard let entries = merged(first..<end) else { return nil }
            entriesOfYear[year] = entries
        }
        self.years = years.sorted(by: >)
        self.entriesOfYear = entriesOfYear
        var entryBefore: [Int: ChangeEntry] = [:]
        for (before, _) in added where before > 0 {
            guard let old = entry(before - 1) else { return nil }
            entryBefore[before] = old
        }
        self.entryBefore = entryBefore
    }

    /// The log as the feed reads it: its newest entries (the feed shows fewer).
    var recentLog: ChangeLog { ChangeLog(snapshot: BriefingSnapshot(), entries: recent) }

    /// `changes/index.json` after, from the file before (`ChangeLog.publishedJSONBytes`): each
    /// run of new entries goes after the object of the entry before it, found exactly once, or
    /// first. Nil where an object is not where the file before had it.
    func json(before bytes: UnsafeRawBufferPointer, urls: SiteURLs, isPublished: (ChangeEntry) -> Bool) -> [UInt8]? {
        let opening = Array(ChangeLog.jsonOpening.utf8)
        guard bytes.count > opening.count, bytes.starts(with: opening) else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + 256 * added.count)
        var copied = 0
        var next = 0
        while next < added.count {
            let before = added[next].before
            let place: Int
            if before == 0 {
                place = opening.count
            } else {
                var object: [UInt8] = []
                ChangeLog.appendJSON(entryBefore[before]!, urls: urls, isPublished: isPublished, to: &object)
                guard let found = BodyPatch.onlyPlace(of: object, in: bytes), found.upperBound >= copied else { return nil }
                place = found.upperBound
            }
            output += UnsafeRawBufferPointer(rebasing: bytes[copied..<place])
            copied = place
            var first = true
            while next < added.count, added[next].before == before {
                if before > 0 || !first { output.append(UInt8(ascii: ",")) }
                ChangeLog.appendJSON(added[next].entry, urls: urls, isPublished: isPublished, to: &output)
                first = false
                next += 1
            }
            // Before the entries that were first.
            if before == 0, count > added.count { output.append(UInt8(ascii: ",")) }
        }
        output += UnsafeRawBufferPointer(rebasing: bytes[copied...])
        return output
    }
}
