import Foundation

/// A value for each word, keyed by the word's UTF-8 bytes: an open-addressing table whose words
/// sit one after another in one array. A document has a few hundred words but only half as many
/// distinct ones, and a run of documents a few thousand; hashing the bytes here spares a
/// `String` and a SipHash per word, which was most of the index's time on a large briefing.
struct WordTable<Value> {
    /// One distinct word: where its bytes are in `arena`, its hash and its value. (In one array
    /// rather than one for each: one bounds check and one cache line a probe.)
    private struct Entry {
        var start: Int32
        /// -1 once removed.
        var length: Int32
        var hash: UInt32
        var value: Value
    }

    private var arena: [UInt8] = []
    private var entries: [Entry] = []
    /// Entry number + 1, or 0 for an empty slot. The count is a power of two.
    private var slots: [Int32]

    init(slotCount: Int) {
        slots = Array(repeating: 0, count: slotCount)
    }

    /// How many words were added, removed ones included.
    var count: Int { entries.count }

    subscript(entry: Int) -> Value {
        get { entries[entry].value }
        set { entries[entry].value = newValue }
    }

    /// The entry of `word`, if it was added and not removed.
    func entry(of word: UnsafeBufferPointer<UInt8>) -> Int? {
        entry(of: word, hash: Self.hash(word)).entry
    }

    /// The entry of `word`, added with the value `make` gives when it is not there yet.
    mutating func entry(of word: UnsafeBufferPointer<UInt8>, orAdd make: () -> Value) -> (entry: Int, added: Bool) {
        let hash = Self.hash(word)
        let (found, slot) = entry(of: word, hash: hash)
        if let found { return (found, false) }
        slots[slot] = Int32(entries.count + 1)
        entries.append(Entry(start: Int32(arena.count), length: Int32(word.count), hash: hash, value: make()))
        arena.append(contentsOf: word)
        if entries.count * 2 > slots.count { grow() }
        return (entries.count - 1, true)
    }

    /// Marks the entry removed: it stays in its slot, so probing past it still works, and
    /// `forEach` skips it.
    mutating func remove(_ entry: Int) {
        entries[entry].length = -1
    }

    /// Calls `body` with each word not removed, as bytes valid only during the call, and its
    /// value, in the order the words were added.
    func forEach(_ body: (UnsafeBufferPointer<UInt8>, Value) -> Void) {
        arena.withUnsafeBufferPointer { arena in
            for entry in entries where entry.length >= 0 {
                body(UnsafeBufferPointer(rebasing: arena[Int(entry.start)..<Int(entry.start) + Int(entry.length)]), entry.value)
            }
        }
    }

    /// The entry holding `word`, or the empty slot where it would go.
    private func entry(of word: UnsafeBufferPointer<UInt8>, hash: UInt32) -> (entry: Int?, slot: Int) {
        var slot = Int(hash) & (slots.count - 1)
        while slots[slot] != 0 {
            let entry = Int(slots[slot] - 1)
            if entries[entry].hash == hash, Int(entries[entry].length) == word.count {
                guard let base = word.baseAddress else { return (entry, slot) }
                let start = Int(entries[entry].start)
                if arena.withUnsafeBufferPointer({ memcmp($0.baseAddress! + start, base, word.count) == 0 }) { return (entry, slot) }
            }
            slot = (slot + 1) & (slots.count - 1)
        }
        return (nil, slot)
    }

    private mutating func grow() {
        slots = Array(repeating: 0, count: slots.count * 2)
        for entry in entries.indices {
            var slot = Int(entries[entry].hash) & (slots.count - 1)
            while slots[slot] != 0 { slot = (slot + 1) & (slots.count - 1) }
            slots[slot] = Int32(entry + 1)
        }
    }

    /// FNV-1a: good enough for a table that lives for one document or one run of them and is
    /// never attacked with chosen keys (a collision only costs a probe).
    private static func hash(_ word: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in word { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return hash
    }
}

/// The distinct words of one document with the best field of each.
struct WordFieldTable {
    private var table = WordTable<SearchField>(slotCount: 512)

    var count: Int { table.count }

    /// Records `word` in `field`, keeping the better field when it is already there.
    mutating func add(_ word: UnsafeBufferPointer<UInt8>, _ field: SearchField) {
        let (entry, added) = table.entry(of: word, orAdd: { field })
        if !added, field > table[entry] { table[entry] = field }
    }

    /// Forgets `word` unless it is in a field at least `keep`.
    mutating func remove(_ word: UnsafeBufferPointer<UInt8>, below keep: SearchField) {
        if let entry = table.entry(of: word), table[entry] < keep { table.remove(entry) }
    }

    /// Every word kept, as a string, with its field, in the order first seen.
    var words: [(word: String, field: SearchField)] {
        var result: [(word: String, field: SearchField)] = []
        result.reserveCapacity(table.count)
        table.forEach { word, field in result.append((String(decoding: word, as: UTF8.self), field)) }
        return result
    }

    /// Calls `body` with each word kept, as bytes valid only during the call, and its field, in
    /// the order first seen: for the index, which makes a `String` only of each word new to it.
    func forEachWord(_ body: (UnsafeBufferPointer<UInt8>, SearchField) -> Void) {
        table.forEach(body)
    }
}

/// Numbers for words: the index numbers each word of a run of documents once, so that a word met
/// again (most of them) costs one probe, not a `String` and a SipHash.
struct WordNumbers {
    private var table = WordTable<Int32>(slotCount: 4096)

    /// The number of `word`, made by `make` the first time the word is met.
    mutating func number(of word: UnsafeBufferPointer<UInt8>, make: () -> Int) -> Int {
        let (entry, _) = table.entry(of: word, orAdd: { Int32(make()) })
        return Int(table[entry])
    }
}
