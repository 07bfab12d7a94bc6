/// The loop every escaper of the build shares (JSON strings, XML text): walk UTF-8 bytes, copy
/// runs that need nothing whole, and let `replace` decide at each byte `needsWork` marks. Escapers
/// run over every body of every build, so they work on bytes, not on characters or scalars.
enum ByteEscaper {
    /// The bytes with every replacement made, or nil when nothing was replaced (the caller then
    /// keeps its text as it is). `replace(index)` returns the bytes that stand for the sequence
    /// starting at `index` and how many bytes it covers, or nil to keep that byte.
    static func rewrite(_ source: UnsafeBufferPointer<UInt8>, needsWork: [Bool],
                        replace: (Int) -> (bytes: [UInt8], width: Int)?) -> [UInt8]? {
        var output: [UInt8]?
        var runStart = 0
        var index = 0
        while index < source.count {
            guard needsWork[Int(source[index])], let replacement = replace(index) else {
                index += 1
                continue
            }
            if output == nil { output = []; output!.reserveCapacity(source.count + source.count / 8) }
            output!.append(contentsOf: UnsafeBufferPointer(rebasing: source[runStart..<index]))
            output!.append(contentsOf: replacement.bytes)
            index += replacement.width
            runStart = index
        }
        guard output != nil else { return nil }
        output!.append(contentsOf: UnsafeBufferPointer(rebasing: source[runStart..<source.count]))
        return output
    }
}
