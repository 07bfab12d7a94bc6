/// The distinct words of one document with the best field of each, keyed by their UTF-8 bytes.
/// A document has a few hundred words but only half as many distinct ones; hashing the bytes in
/// an open-addressing table spares a `String` and a SipHash per word, which was most of the
/// index's time on a large briefing.
struct WordFieldTable {
    private var arena: [UInt8] = []
    private var starts: [Int] = []
    private var lengths: [Int] = []
    private var hashes: [UInt32] = []
    private var fields: [SearchField] = []
    /// Entry number + 1, or 0 for an empty slot. The count is a power of two.
    private var slots: [Int32] = Array(repeating: 0, count: 512)

    var count: Int { fields.count }

    /// Records `word` in `field`, keeping the better field when it is already there.
    mutating func add(_ word: UnsafeBufferPointer<UInt8>, _ field: SearchField) {
        let hash = Self.hash(word)
        var slot = Int(hash) & (slots.count - 1)
        while slots[slot] != 0 {
            let entry = Int(slots[slot] - 1)
            if hashes[entry] == hash && matches(entry, word) {
                if field > fields[entry] { fields[entry] = field }
                return
            }
            slot = (slot + 1) & (slots.count - 1)
        }
        slots[slot] = Int32(fields.count + 1)
        starts.append(arena.count)
        lengths.append(word.count)
        hashes.append(hash)
        fields.append(field)
        arena.append(contentsOf: word)
        if fields.count * 2 > slots.count { grow() }
    }

    /// Forgets `word` unless it is in a field at least `keep`.
    mutating func remove(_ word: UnsafeBufferPointer<UInt8>, below keep: SearchField) {
        let hash = Self.hash(word)
        var slot = Int(hash) & (slots.count - 1)
        while slots[slot] != 0 {
            let entry = Int(slots[slot] - 1)
            if hashes[entry] == hash && matches(entry, word) {
                // Marked, not unlinked, so probing past it still works; `entries` skips it.
                if fields[entry] < keep { lengths[entry] = -1 }
                return
            }
            slot = (slot + 1) & (slots.count - 1)
        }
    }

    /// Every word kept, as a string, with its field, in the order first seen.
    var entries: [(word: String, field: SearchField)] {
        var result: [(word: String, field: SearchField)] = []
        result.reserveCapacity(fields.count)
        for entry in fields.indices where lengths[entry] >= 0 {
            result.append((String(decoding: arena[starts[entry]..<starts[entry] + lengths[entry]], as: UTF8.self), fields[entry]))
        }
        return result
    }

    private func matches(_ entry: Int, _ word: UnsafeBufferPointer<UInt8>) -> Bool {
        guard lengths[entry] == word.count else { return false }
        let start = starts[entry]
        for offset in 0..<word.count where arena[start + offset] != word[offset] { return false }
        return true
    }

    private mutating func grow() {
        slots = Array(repeating: 0, count: slots.count * 2)
        for entry in fields.indices {
            var slot = Int(hashes[entry]) & (slots.count - 1)
            while slots[slot] != 0 { slot = (slot + 1) & (slots.count - 1) }
            slots[slot] = Int32(entry + 1)
        }
    }

    /// FNV-1a: good enough for a table that lives for one document and is never attacked with
    /// chosen keys (a collision only costs a probe).
    private static func hash(_ word: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in word { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return hash
    }
}
