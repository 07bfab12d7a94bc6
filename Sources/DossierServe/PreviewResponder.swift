import DossierKit
import Foundation

/// Answers requests for the built site as a static host would (index.html for folders, redirects
/// for missing slashes, content types, 404.html with status 404, HEAD, ETag), plus the preview's
/// own live reload. It reads files from disk on every request, so it never serves a stale page.
/// It knows nothing of sockets: `PreviewHTTPServer` carries its answers.
public struct PreviewResponder: Sendable {
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

    public func respond(to request: PreviewRequest) async -> PreviewResponse {
        guard request.method == "GET" || request.method == "HEAD" else {
            var response = plain(405, "Only GET and HEAD are supported.\n", request: request)
            response.headers.append(("Allow", "GET, HEAD"))
            return response
        }
        let rawPath = request.rawPath
        switch RequestPath.resolve(rawPath, basePath: basePath) {
        case .server("live.js"):
            return respond(Data(PageDecorator.liveReloadScript.utf8), type: "text/javascript; charset=utf-8", request: request)
        case .server("events"):
            let messages = EventStream.messages(builds: await state.listen(), heartbeat: heartbeat)
            return PreviewResponse(status: 200, headers: [("Content-Type", "text/event-stream; charset=utf-8"), ("Cache-Control", "no-cache")], body: .events(messages))
        case .server:
            return plain(404, "Not found.\n", request: request)
        case .redirect(let location):
            return redirect(to: location, request: request)
        case .refused(let reason):
            return plain(400, "Bad request: \(reason).\n", request: request)
        case .notFound:
            return await notFound(request)
        case .site(let segments):
            switch files.lookup(segments, endsWithSlash: rawPath.hasSuffix("/")) {
            case .file(let url):
                guard var bytes = try? Data(contentsOf: url) else { return await notFound(request) }
                let type = ContentType.of(path: url.path)
                if type.hasPrefix("text/html") {
                    bytes = PageDecorator.decorate(bytes, problems: await state.problems)
                }
                return respond(bytes, type: type, request: request)
            case .folderWithoutSlash:
                return redirect(to: rawPath + "/", request: request)
            case .outside:
                return plain(403, "Forbidden.\n", request: request)
            case .missing:
                return await notFound(request)
            }
        }
    }

    private func notFound(_ request: PreviewRequest) async -> PreviewResponse {
        let page = files.folder.appendingPathComponent("404.html")
        let problems = await state.problems
        guard await state.hasGoodBuild, let bytes = try? Data(contentsOf: page) else {
            if !problems.isEmpty {
                return respond(PageDecorator.errorPage(problems), type: "text/html; charset=utf-8", status: 500, request: request)
            }
            return plain(404, "Not found.\n", request: request)
        }
        return respond(PageDecorator.decorate(bytes, problems: problems), type: "text/html; charset=utf-8", status: 404, request: request)
    }

    /// A response with an ETag over its exact bytes, answering `If-None-Match` with 304 and HEAD
    /// with the headers alone (the transport sends no body for HEAD).
    func respond(_ bytes: Data, type: String, status: Int = 200, request: PreviewRequest) -> PreviewResponse {
        var headers = [("Content-Type", type), ("Cache-Control", "no-cache"), ("X-Content-Type-Options", "nosniff")]
        if status == 200 {
            let etag = "\"\(Fingerprint.of(bytes))\""
            headers.append(("ETag", etag))
            if let match = request.ifNoneMatch,
               match.split(separator: ",").contains(where: { let tag = $0.trimmingCharacters(in: .whitespaces); return tag == etag || tag == "*" }) {
                return PreviewResponse(status: 304, headers: headers.filter { $0.0 != "Content-Type" })
            }
        }
        return PreviewResponse(status: status, headers: headers, body: .bytes(bytes))
    }

    private func plain(_ status: Int, _ text: String, request: PreviewRequest) -> PreviewResponse {
        respond(Data(text.utf8), type: "text/plain; charset=utf-8", status: status, request: request)
    }

    private func redirect(to location: String, request: PreviewRequest) -> PreviewResponse {
        let target = request.query.isEmpty ? location : location + "?" + request.query
        return PreviewResponse(status: 301, headers: [("Location", target), ("Content-Type", "text/plain; charset=utf-8")], body: .bytes(Data("Moved to \(location)\n".utf8)))
    }
}
