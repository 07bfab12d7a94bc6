/// Stable fingerprints of what a case file says, body aside, for the render keys of
/// `Render/DependencyKeys.swift`. Swift's `Hasher` is seeded per process, so these use
/// `ContentHash`, which gives the same value in every build. Every field that can reach the
/// output is added, with its kind and a count before each list, so two different values never
/// feed the hash the same sequence; where a reference was written (line and column) is left out,
/// since it shows only in messages.
extension ContentHash {
    mutating func add(optional text: String?) {
        if let text { add(1); add(text) } else { add(0) }
    }

    mutating func add(_ texts: [String]) {
        add(UInt64(texts.count))
        for text in texts { add(text) }
    }

    mutating func add(_ date: DayDate?) {
        if let date { add(UInt64(date.year * 10_000 + date.month * 100 + date.day)) } else { add(0) }
    }

    mutating func add(_ flag: Bool) { add(flag ? 1 : 0) }

    mutating func add(_ references: [Reference]) {
        add(UInt64(references.count))
        for reference in references { add(reference.slug) }
    }

    mutating func add(_ extra: ExtraValue?) {
        guard let extra else { return add(0) }
        switch extra {
        case .string(let text): add(1); add(text)
        case .bool(let flag): add(2); add(flag)
        case .list(let values):
            add(3); add(UInt64(values.count))
            for value in values { add(value) }
        case .mapping(let pairs):
            add(4); add(UInt64(pairs.count))
            for pair in pairs { add(pair.key); add(pair.value) }
        case .null: add(5)
        }
    }
}

extension ContentHash {
    /// An actor's or action's head fingerprint, everything but the body: its
    /// `contentFingerprint` (made once per build, `BriefingGraph.actorFingerprints`) and where
    /// the file is.
    static func headFingerprint(content: UInt64, path: String) -> UInt64 {
        var hash = ContentHash(seed: content)
        hash.add(path)
        return hash.value
    }
}

extension Actor {
    /// Everything but the body and where the file is.
    var contentFingerprint: UInt64 {
        var hash = ContentHash(seed: 1)
        hash.add(slug); hash.add(name); hash.add(type.rawValue); hash.add(aliases); hash.add(optional: country)
        hash.add(roles); hash.add(optional: summary); hash.add(tags); hash.add(draft); hash.add(updated); hash.add(extra)
        return hash.value
    }
}

extension Action {
    /// Everything but the body and where the file is.
    var contentFingerprint: UInt64 {
        var hash = ContentHash(seed: 2)
        hash.add(slug); hash.add(title); hash.add(date); hash.add(type.rawValue)
        hash.add(by); hash.add(targets); hash.add(involves); hash.add(measures); hash.add(legalBasis)
        hash.add(optional: status?.rawValue); hash.add(ends); hash.add(respondsTo); hash.add(related)
        hash.add(UInt64(sources.count))
        for source in sources { hash.add(source.title); hash.add(optional: source.url); hash.add(optional: source.publisher); hash.add(source.date) }
        hash.add(optional: summary); hash.add(tags); hash.add(draft); hash.add(updated); hash.add(extra)
        return hash.value
    }
}

extension Page {
    /// Everything but the body.
    var headFingerprint: UInt64 {
        var hash = ContentHash(seed: 3)
        hash.add(slug); hash.add(path); hash.add(title); hash.add(optional: summary); hash.add(draft); hash.add(updated); hash.add(extra)
        return hash.value
    }
}

extension SiteConfig {
    var fingerprint: UInt64 {
        var hash = ContentHash(seed: 4)
        hash.add(title); hash.add(baseURL); hash.add(optional: description); hash.add(language); hash.add(optional: author)
        hash.add(unsafeHTML); hash.add(extra)
        return hash.value
    }
}
