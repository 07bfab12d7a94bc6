import Foundation

/// `entities.ftm.json`: the briefing as FollowTheMoney entities, one JSON object a line, the
/// format OpenSanctions and Aleph load. Actors become `Person`, `Organization`, `PublicBody`
/// (governments) or `LegalEntity`; every sanction and counter-sanction becomes one `Sanction` per
/// published target, with `entity` pointing at the target's id.
///
/// Ids are the actor slugs, and `<action>.<target>` for sanctions (slugs hold no dots, so the
/// two never collide). FtM's `country` holds ISO 3166 codes, so a country written as a name is
/// mapped when the name is an English country name and left out otherwise.
public enum FollowTheMoney {
    public static func lines(_ graph: BriefingGraph) -> String {
        let urls = SiteURLs(baseURL: graph.site.baseURL)
        var output: [UInt8] = []
        // Fields read through the graph's arrays: an actor or action bound to a name is copied
        // whole, and this walks all of them.
        for index in graph.actors.indices {
            var properties = Properties()
            properties[.name] = [graph.actors[index].name]
            properties[.alias] = graph.actors[index].aliases
            properties[.sourceUrl] = [urls.absolute(urls.actor(graph.actors[index].slug))]
            if let code = graph.actors[index].country.flatMap(countryCode) { properties[.country] = [code] }
            if let summary = graph.actors[index].summary { properties[.notes] = [summary] }
            if graph.actors[index].type == .person { properties[.position] = graph.actors[index].roles }
            properties[.keywords] = graph.actors[index].tags
            write(id: graph.actors[index].slug, schema: schema(of: graph.actors[index].type), properties, into: &output)
        }
        for index in graph.actions.indices where graph.actions[index].type == .sanction || graph.actions[index].type == .counterSanction {
            let authorities = PageModels.uniqueSlugs(graph.actions[index].by).compactMap { slug in graph.actorIndex[slug].map { graph.actors[$0].name } }
            let sources = [urls.absolute(urls.action(graph.actions[index].slug))]
                + graph.actions[index].sources.compactMap(\.url).filter { $0.hasPrefix("http://") || $0.hasPrefix("https://") }
            for target in PageModels.uniqueSlugs(graph.actions[index].targets) where graph.hasActor(target) {
                var properties = Properties()
                properties[.entity] = [target]
                properties[.authority] = authorities
                properties[.program] = graph.actions[index].legalBasis.isEmpty ? [graph.actions[index].title] : graph.actions[index].legalBasis
                properties[.provisions] = graph.actions[index].measures
                properties[.startDate] = [graph.actions[index].date.description]
                properties[.sourceUrl] = sources
                if let ends = graph.actions[index].ends { properties[.endDate] = [ends.description] }
                if let status = graph.actions[index].status { properties[.status] = [status.label] }
                if let summary = graph.actions[index].summary { properties[.summary] = [summary] }
                write(id: "\(graph.actions[index].slug).\(target)", schema: "Sanction", properties, into: &output)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The FtM properties an entity of the file can have, in the order of their names, which is
    /// the order they are written in (sorted, as `JSONValue` writes an object).
    enum Property: Int, CaseIterable {
        case alias, authority, country, endDate, entity, keywords, name, notes, position, program, provisions, sourceUrl, startDate, status, summary

        /// The names as FtM spells them, by raw value: the cases' own names, made once.
        static let names = allCases.map { "\($0)" }
    }

    /// An entity's properties by `Property`; one with no values is left out.
    struct Properties {
        private var values = [[String]](repeating: [], count: Property.allCases.count)

        subscript(property: Property) -> [String] {
            get { values[property.rawValue] }
            set { values[property.rawValue] = newValue }
        }
    }

    /// One entity's line: `{"id":…,"properties":{…},"schema":…}`, written straight as bytes
    /// rather than as a dictionary of values hashed and sorted for each of 20,000 entities.
    static func write(id: String, schema: String, _ properties: Properties, into output: inout [UInt8]) {
        output.append(contentsOf: #"{"id":"#.utf8)
        JSONValue.writeString(id, into: &output)
        output.append(contentsOf: #","properties":{"#.utf8)
        var first = true
        for property in Property.allCases where !properties[property].isEmpty {
            if !first { output.append(UInt8(ascii: ",")) }
            first = false
            JSONValue.writeString(Property.names[property.rawValue], into: &output)
            output.append(contentsOf: ":[".utf8)
            for (number, value) in properties[property].enumerated() {
                if number > 0 { output.append(UInt8(ascii: ",")) }
                JSONValue.writeString(value, into: &output)
            }
            output.append(UInt8(ascii: "]"))
        }
        output.append(contentsOf: #"},"schema":"#.utf8)
        JSONValue.writeString(schema, into: &output)
        output.append(contentsOf: "}\n".utf8)
    }

    static func schema(of type: ActorType) -> String {
        switch type {
        case .person: "Person"
        case .organization: "Organization"
        case .government: "PublicBody"
        case .other: "LegalEntity"
        }
    }

    /// `cn` for "China" or "CN"; `eu` for the European Union, which FtM accepts as a territory.
    static func countryCode(_ name: String) -> String? {
        let key = name.trimmingCharacters(in: .whitespaces).lowercased()
        if key.count == 2, key.allSatisfy({ $0.isASCII && $0.isLetter }) { return key }
        return countryCodes[key]
    }

    /// English names of the countries briefings on sanctions name most; a fixed table rather
    /// than the system's locale data, so every machine writes the same file.
    static let countryCodes: [String: String] = [
        "afghanistan": "af", "belarus": "by", "belgium": "be", "brazil": "br", "burma": "mm", "myanmar": "mm", "canada": "ca",
        "china": "cn", "people's republic of china": "cn", "prc": "cn", "cuba": "cu", "denmark": "dk", "european union": "eu", "eu": "eu",
        "france": "fr", "germany": "de", "hong kong": "hk", "india": "in", "iran": "ir", "iraq": "iq", "israel": "il", "italy": "it",
        "japan": "jp", "lithuania": "lt", "netherlands": "nl", "new zealand": "nz", "nicaragua": "ni", "north korea": "kp",
        "norway": "no", "poland": "pl", "russia": "ru", "russian federation": "ru", "saudi arabia": "sa", "south africa": "za",
        "south korea": "kr", "spain": "es", "sudan": "sd", "sweden": "se", "switzerland": "ch", "syria": "sy", "taiwan": "tw",
        "turkey": "tr", "türkiye": "tr", "ukraine": "ua", "united kingdom": "gb", "uk": "gb", "great britain": "gb",
        "united states": "us", "united states of america": "us", "usa": "us", "us": "us", "venezuela": "ve", "australia": "au",
        "austria": "at", "czech republic": "cz", "czechia": "cz", "estonia": "ee", "finland": "fi", "latvia": "lv", "ireland": "ie",
        "mali": "ml", "eritrea": "er", "ethiopia": "et", "libya": "ly", "yemen": "ye", "zimbabwe": "zw", "pakistan": "pk",
    ]
}
