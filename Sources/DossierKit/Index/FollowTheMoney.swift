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
        var output = ""
        for actor in graph.actors {
            var properties: [String: [String]] = ["name": [actor.name], "alias": actor.aliases, "sourceUrl": [urls.absolute(urls.actor(actor.slug))]]
            if let code = actor.country.flatMap(countryCode) { properties["country"] = [code] }
            if let summary = actor.summary { properties["notes"] = [summary] }
            if actor.type == .person { properties["position"] = actor.roles }
            if !actor.tags.isEmpty { properties["keywords"] = actor.tags }
            output += entity(id: actor.slug, schema: schema(of: actor.type), properties) + "\n"
        }
        for action in graph.actions where action.type == .sanction || action.type == .counterSanction {
            let authorities = PageModels.uniqueSlugs(action.by).compactMap { graph.actor($0)?.name }
            let sources = [urls.absolute(urls.action(action.slug))] + action.sources.compactMap(\.url).filter { $0.hasPrefix("http://") || $0.hasPrefix("https://") }
            for target in PageModels.uniqueSlugs(action.targets) where graph.hasActor(target) {
                var properties: [String: [String]] = [
                    "entity": [target], "authority": authorities, "program": action.legalBasis.isEmpty ? [action.title] : action.legalBasis,
                    "provisions": action.measures, "startDate": [action.date.description], "sourceUrl": sources,
                ]
                if let ends = action.ends { properties["endDate"] = [ends.description] }
                if let status = action.status { properties["status"] = [status.label] }
                if let summary = action.summary { properties["summary"] = [summary] }
                output += entity(id: "\(action.slug).\(target)", schema: "Sanction", properties) + "\n"
            }
        }
        return output
    }

    static func schema(of type: ActorType) -> String {
        switch type {
        case .person: "Person"
        case .organization: "Organization"
        case .government: "PublicBody"
        case .other: "LegalEntity"
        }
    }

    static func entity(id: String, schema: String, _ properties: [String: [String]]) -> String {
        let kept = properties.filter { !$0.value.isEmpty }.mapValues { JSONValue.array($0.map(JSONValue.string)) }
        return JSONValue.sorted([JSONMember("id", .string(id)), JSONMember("properties", .object(kept)), JSONMember("schema", .string(schema))]).serialized
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
