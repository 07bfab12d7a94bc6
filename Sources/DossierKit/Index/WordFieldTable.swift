import Foundation

/// The distinct words of one document with the best field of each, keyed by their UTF-8 bytes.
/// A document has a few hundred words but only half as many distinct ones; hashing the bytes in
/// an open-addressing table spares a `String` and a SipHash per word, which was most of the
/// index's time on a large briefing.
struct WordFieldTable {
    /// One distinct word: where its bytes are in `arena`, its hash and its best field so far.
    /// (In one array rather than four: one bounds check and one cache line a probe.)
    private struct Entry {
        var start: Int32
        /// -1 once removed.
        var length: Int32
        var hash: UInt32
        var field: SearchField
    }

    private var arena: [UInt8] = []
    private var entries: [Entry] = []
    /// Entry number + 1, or 0 for an empty slot. The count is a power of two.
    private var slots: [Int32] = Array(repeating: 0, count: 512)

    var count: Int { entries.count }

    /// Records `word` in `field`, keeping the better field when it is already there.
    mutating func add(_ word: UnsafeBufferPointer<UInt8>, _ field: SearchField) {
        let hash = Self.hash(word)
        var slot = Int(hash) & (slots.count - 1)
        while slots[slot] != 0 {
            let entry = Int(slots[slot] - 1)
            if entries[entry].hash == hash && matches(entry, word) {
                if field > entries[entry].field { entries[entry].field = field }
                return
            }
            slot = (slot + 1) & (slots.count - 1)
        }
        slots[slot] = Int32(entries.count + 1)
        entries.append(Entry(start: Int32(arena.count), length: Int32(word.count), hash: hash, field: field))
        arena.append(contentsOf: word)
        if entries.count * 2 > slots.count { grow() }
    }

    /// Forgets `word` unless it is in a field at least `keep`.
    mutating func remove(_ word: UnsafeBufferPointer<UInt8>, below keep: SearchField) {
        let hash = Self.hash(word)
        var slot = Int(hash) & (slots.count - 1)
        while slots[slot] != 0 {
            let entry = Int(slots[slot] - 1)
            if entries[entry].hash == hash && matches(entry, word) {
                // Marked, not unlinked, so probing past it still works; `words` skips it.
                if entries[entry].field < keep { entries[entry].length = -1 }
                return
            }
            slot = (slot + 1) & (slots.count - 1)
        }
    }

    /// Every word kept, as a string, with its field, in the order first seen.
    var words: [(word: String, field: SearchField)] {
        var result: [(word: String, field: SearchField)] = []
        result.reserveCapacity(entries.count)
        arena.withUnsafeBufferPointer { arena in
            for entry in entries where entry.length >= 0 {
                result.append((String(decoding: UnsafeBufferPointer(rebasing: arena[Int(entry.start)..<Int(entry.start) + Int(entry.length)]), as: UTF8.self), entry.field))
            }
        }
        return result
    }

    /// Calls `body` with each word kept, as bytes valid only during the call, and its field, in
    /// the order first seen: for the index, which makes a `String` only of each word new to it.
    func forEachWord(_ body: (UnsafeBufferPointer<UInt8>, SearchField) -> Void) {
        arena.withUnsafeBufferPointer { arena in
            for entry in entries where entry.length >= 0 {
                body(UnsafeBufferPointer(rebasing: arena[Int(entry.start)..<Int(entry.start) + Int(entry.length)]), entry.field)
            }
        }
    }

    private func matches(_ entry: Int, _ word: UnsafeBufferPointer<UInt8>) -> Bool {
        guard Int(entries[entry].length) == word.count else { return false }
        guard let base = word.baseAddress else { return true }
        let start = Int(entries[entry].start)
        return arena.withUnsafeBufferPointer { memcmp($0.baseAddress! + start, base, word.count) == 0 }
    }

    private mutating func grow() {
        slots = Array(repeating: 0, count: slots.count * 2)
        for entry in entries.indices {
            var slot = Int(entries[entry].hash) & (slots.count - 1)
            while slots[slot] != 0 { slot = (slot + 1) & (slots.count - 1) }
            slots[slot] = Int32(entry + 1)
        }
    }

    /// FNV-1a: good enough for a table that lives for one document and is never attacked with
    /// chosen keys (a collision only costs a probe).
    static func hash(_ word: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in word { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return hash
    }
}

/// Numbers for words, keyed by their UTF-8 bytes, as `WordFieldTable` keys them: the index
/// numbers each word of a run of documents once, so that a word met again (most of them) costs
/// one probe, not a `String` and a SipHash.
struct WordNumbers {
    private var arena: [UInt8] = []
    /// Where each word's bytes are, its hash and its number.
    private var entries: [(start: Int32, length: Int32, hash: UInt32, number: Int32)] = []
    /// Entry number + 1, or 0 for an empty slot. The count is a power of two.
    private var slots: [Int32] = Array(repeating: 0, count: 4096)

    /// The number of `word`, made by `make` the first time the word is met.
    mutating func number(of word: UnsafeBufferPointer<UInt8>, make: () -> Int) -> Int {
        let hash = WordFieldTable.hash(word)
        var slot = Int(hash) & (slots.count - 1)
        while slots[slot] != 0 {
            let entry = Int(slots[slot] - 1)
            if entries[entry].hash == hash, Int(entries[entry].length) == word.count,
               word.isEmpty || arena.withUnsafeBufferPointer({ memcmp($0.baseAddress! + Int(entries[entry].start), word.baseAddress!, word.count) == 0 }) {
                return Int(entries[entry].number)
            }
            slot = (slot + 1) & (slots.count - 1)
        }
        let number = make()
        slots[slot] = Int32(entries.count + 1)
        entries.append((Int32(arena.count), Int32(word.count), hash, Int32(number)))
        arena.append(contentsOf: word)
        if entries.count * 2 > slots.count {
            slots = Array(repeating: 0, count: slots.count * 2)
            for entry in entries.indices {
                var slot = Int(entries[entry].hash) & (slots.count - 1)
                while slots[slot] != 0 { slot = (slot + 1) & (slots.count - 1) }
                slots[slot] = Int32(entry + 1)
            }
        }
        return number
    }
}
