import DossierKit
import FlyingFox
import Foundation

/// Serves the built site as a static host would (index.html for folders, redirects for missing
/// slashes, content types, 404.html with status 404, HEAD, ETag), plus the preview's own live
/// reload. It reads files from disk on every request, so it never serves a stale page.
public struct PreviewHandler: HTTPHandler {
    let files: SiteFiles
    let basePath: String
    let state: PreviewState
    let heartbeat: Duration

    public init(siteFolder: URL, basePath: String, state: PreviewState, heartbeat: Duration = .seconds(10)) {
        self.files = SiteFiles(folder: siteFolder)
        self.basePath = basePath
        self.state = state
        self.heartbeat = heartbeat
    }

    public func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard request.method == .GET || request.method == .HEAD else {
            var response = plain(.methodNotAllowed, "Only GET and HEAD are supported.\n", request: request)
            response.headers[HTTPHeader("Allow")] = "GET, HEAD"
            return response
        }
        let rawPath = request.target.path()
        switch RequestPath.resolve(rawPath, basePath: basePath) {
        case .server("live.js"):
            return respond(Data(PageDecorator.liveReloadScript.utf8), type: "text/javascript; charset=utf-8", request: request)
        case .server("events"):
            return await eventStream(request)
        case .server:
            return plain(.notFound, "Not found.\n", request: request)
        case .redirect(let location):
            return redirect(to: location, request: request)
        case .refused(let reason):
            return plain(.badRequest, "Bad request: \(reason).\n", request: request)
        case .notFound:
            return await notFound(request)
        case .site(let segments):
            switch files.lookup(segments, endsWithSlash: rawPath.hasSuffix("/")) {
            case .file(let url):
                return try await serveFile(url, request: request)
            case .folderWithoutSlash:
                return redirect(to: rawPath + "/", request: request)
            case .outside:
                return plain(.forbidden, "Forbidden.\n", request: request)
            case .missing:
                return await notFound(request)
            }
        }
    }

    private func serveFile(_ url: URL, request: HTTPRequest) async throws -> HTTPResponse {
        var bytes = try Data(contentsOf: url)
        let type = ContentType.of(path: url.path)
        if type.hasPrefix("text/html") {
            bytes = PageDecorator.decorate(bytes, problems: await state.problems)
        }
        return respond(bytes, type: type, request: request)
    }

    private func notFound(_ request: HTTPRequest) async -> HTTPResponse {
        let page = files.folder.appendingPathComponent("404.html")
        guard await state.hasGoodBuild, let bytes = try? Data(contentsOf: page) else {
            let problems = await state.problems
            if !problems.isEmpty {
                return respond(PageDecorator.errorPage(problems), type: "text/html; charset=utf-8", status: .internalServerError, request: request)
            }
            return plain(.notFound, "Not found.\n", request: request)
        }
        return respond(PageDecorator.decorate(bytes, problems: await state.problems), type: "text/html; charset=utf-8", status: .notFound, request: request)
    }

    private func eventStream(_ request: HTTPRequest) async -> HTTPResponse {
        let body = EventStreamBody(builds: await state.listen(), heartbeat: heartbeat)
        var headers: HTTPHeaders = [:]
        headers[.contentType] = "text/event-stream; charset=utf-8"
        headers[.cacheControl] = "no-cache"
        return HTTPResponse(statusCode: .ok, headers: headers, body: HTTPBodySequence(from: body))
    }

    /// A response with an ETag over its exact bytes, answering `If-None-Match` with 304 and HEAD
    /// with the headers alone.
    private func respond(_ bytes: Data, type: String, status: HTTPStatusCode = .ok, request: HTTPRequest) -> HTTPResponse {
        var headers: HTTPHeaders = [:]
        headers[.contentType] = type
        headers[.cacheControl] = "no-cache"
        headers[HTTPHeader("X-Content-Type-Options")] = "nosniff"
        let etag = "\"\(Self.fingerprint(bytes))\""
        if status == .ok {
            headers[.eTag] = etag
            if let match = request.headers[.ifNoneMatch], match.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == etag || $0.trimmingCharacters(in: .whitespaces) == "*" }) {
                return HTTPResponse(statusCode: .notModified, headers: headers)
            }
        }
        if request.method == .HEAD {
            headers[.contentLength] = String(bytes.count)
            return HTTPResponse(statusCode: status, headers: headers)
        }
        return HTTPResponse(statusCode: status, headers: headers, body: bytes)
    }

    private func plain(_ status: HTTPStatusCode, _ text: String, request: HTTPRequest) -> HTTPResponse {
        respond(Data(text.utf8), type: "text/plain; charset=utf-8", status: status, request: request)
    }

    private func redirect(to location: String, request: HTTPRequest) -> HTTPResponse {
        let query = request.target.query()
        var headers: HTTPHeaders = [:]
        headers[.location] = query.isEmpty ? location : location + "?" + query
        headers[.contentType] = "text/plain; charset=utf-8"
        return HTTPResponse(statusCode: .movedPermanently, headers: headers, body: Data("Moved to \(location)\n".utf8))
    }

    /// FNV-1a, 64 bits: enough to tell two versions of a page apart, and stable across runs.
    static func fingerprint(_ bytes: Data) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}
