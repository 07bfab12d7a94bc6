import Foundation

/// A name in a template context (`TemplateValue.object`). Its hash is worked out once, when the
/// key is made: from a literal where the page models build a context, or when the theme is
/// compiled for the names its templates look up. A dictionary of keys takes that hash as it is;
/// SipHash over each name, on every value put into a context and on every name a template looked
/// up, was a sixth of the templates' time in a full build.
public struct TemplateKey: Hashable, Comparable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let name: String
    /// FNV-1a of the name's bytes in Unicode's composed form (NFC): Swift compares strings by
    /// canonical equivalence ("é" as one scalar or as "e" and an accent, even "K" and the Kelvin
    /// sign, are one name), as a dictionary of `String`s did, and canonically equivalent strings
    /// have the same NFC. ASCII, nearly every name, is its own NFC and is hashed as it is.
    private let code: UInt64

    public init(_ name: String) {
        self.name = name
        // One pass over the bytes in place, which also tells whether they are all ASCII: a key
        // is made for every value a page model puts in, 100 a page.
        var bytes = name
        let (code, isASCII) = bytes.withUTF8(Self.fnv1a)
        if isASCII {
            self.code = code
        } else {
            var composed = name.precomposedStringWithCanonicalMapping
            self.code = composed.withUTF8(Self.fnv1a).code
        }
    }

    private static func fnv1a(_ bytes: UnsafeBufferPointer<UInt8>) -> (code: UInt64, isASCII: Bool) {
        var code: UInt64 = 0xCBF2_9CE4_8422_2325
        var union: UInt8 = 0
        for byte in bytes {
            code = (code ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            union |= byte
        }
        return (code, union < 0x80)
    }

    public init(stringLiteral name: String) {
        self.init(name)
    }

    public var description: String { name }

    public static func == (left: TemplateKey, right: TemplateKey) -> Bool {
        left.code == right.code && left.name == right.name
    }

    public static func < (left: TemplateKey, right: TemplateKey) -> Bool {
        left.name < right.name
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
    }

    /// What `Dictionary` and `Set` ask for: the stored code mixed with the table's seed (one
    /// multiplies and shifts, the finalizer of SplitMix64), not a SipHash of it. The names are the
    /// theme's, the page models' and an author's `extra` keys: a collision among them costs a probe.
    public func _rawHashValue(seed: Int) -> Int {
        var mixed = code ^ UInt64(bitPattern: Int64(seed))
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int(bitPattern: UInt(mixed ^ (mixed >> 31)))
    }
}
