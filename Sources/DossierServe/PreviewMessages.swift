import Foundation

/// A request as the preview needs it, free of any HTTP library's types.
public struct PreviewRequest: Sendable {
    public var method: String
    /// Still percent-encoded, as sent (`/brief/caf%C3%A9/`).
    public var rawPath: String
    /// The raw query string, without `?`.
    public var query: String
    /// `If-None-Match`, when sent.
    public var ifNoneMatch: String?

    public init(method: String, rawPath: String, query: String = "", ifNoneMatch: String? = nil) {
        self.method = method
        self.rawPath = rawPath
        self.query = query
        self.ifNoneMatch = ifNoneMatch
    }

    /// Splits a request target into path and query.
    public init(method: String, target: String, ifNoneMatch: String? = nil) {
        if let mark = target.firstIndex(of: "?") {
            self.init(method: method, rawPath: String(target[..<mark]), query: String(target[target.index(after: mark)...]), ifNoneMatch: ifNoneMatch)
        } else {
            self.init(method: method, rawPath: target, ifNoneMatch: ifNoneMatch)
        }
    }
}

/// A response: status, headers and either bytes or an endless event stream.
public struct PreviewResponse: Sendable {
    public enum Body: Sendable {
        case bytes(Data)
        /// Server-Sent Events, written as they come until the client goes away.
        case events(AsyncStream<[UInt8]>)
    }

    public var status: Int
    public var headers: [(String, String)]
    public var body: Body

    public init(status: Int, headers: [(String, String)] = [], body: Body = .bytes(Data())) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }
}
