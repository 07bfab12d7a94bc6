import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// The HTTP side of the preview, and the only file that knows SwiftNIO: it accepts connections,
/// parses requests (NIO's parser refuses header fields and header lists over 80 KB with a 400,
/// in linear time), hands each to the `PreviewResponder`, and writes the answer, streaming
/// Server-Sent Events for as long as the page stays open.
struct PreviewHTTPServer: Sendable {
    let host: String
    let port: Int
    let responder: PreviewResponder

    /// Longer request targets get 414: no page of a briefing has a path near this long.
    static let maximumTargetLength = 8 * 1024
    /// A connection with no traffic either way for this long is closed, so clients that open
    /// connections and go quiet cannot pile up. Event streams send a heartbeat well within it.
    static let idleTimeout = TimeAmount.seconds(30)

    typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>

    /// Binds, reports the bound port through `ready`, then serves until the task is cancelled.
    func run(ready: @escaping @Sendable (Int) async -> Void) async throws {
        let server: NIOAsyncChannel<Connection, Never>
        do {
            server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .serverChannelOption(.backlog, value: 1024)
                .bind(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let pipeline = channel.pipeline.syncOperations
                        try pipeline.addHandler(IdleStateHandler(allTimeout: Self.idleTimeout))
                        try pipeline.addHandler(CloseWhenIdle())
                        try pipeline.configureHTTPServerPipeline(withErrorHandling: true)
                        return try Connection(wrappingChannelSynchronously: channel)
                    }
                }
        } catch let error as IOError {
            throw PreviewServer.Failure.cannotListen(host: host, port: UInt16(clamping: port), reason: Self.describe(error.errnoCode))
        } catch {
            throw PreviewServer.Failure.cannotListen(host: host, port: UInt16(clamping: port), reason: "\(error)")
        }
        await ready(server.channel.localAddress?.port ?? port)
        try await withThrowingDiscardingTaskGroup { group in
            try await server.executeThenClose { connections in
                for try await connection in connections {
                    group.addTask { await handle(connection) }
                }
            }
        }
    }

    /// Serves the requests of one connection in order until it closes. Errors end the connection,
    /// never the server.
    private func handle(_ connection: Connection) async {
        try? await connection.executeThenClose { inbound, outbound in
            var head: HTTPRequestHead?
            for try await part in inbound {
                switch part {
                case .head(let requestHead):
                    head = requestHead
                case .body:
                    continue  // GET and HEAD have no body worth reading
                case .end:
                    guard let requestHead = head else { continue }
                    head = nil
                    let keepGoing = try await answer(requestHead, on: outbound)
                    if !keepGoing { return }
                }
            }
        }
    }

    /// Writes the response to one request; false when the connection must close after it.
    private func answer(_ head: HTTPRequestHead, on outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>) async throws -> Bool {
        let response: PreviewResponse
        if head.uri.utf8.count > Self.maximumTargetLength {
            response = PreviewResponse(status: 414, headers: [("Content-Type", "text/plain; charset=utf-8")], body: .bytes(Data("Request target too long.\n".utf8)))
        } else {
            let request = PreviewRequest(method: head.method.rawValue, target: head.uri, ifNoneMatch: head.headers.first(name: "If-None-Match"))
            response = await responder.respond(to: request)
        }
        var headers = HTTPHeaders(response.headers)
        let keepAlive = head.isKeepAlive
        let status = HTTPResponseStatus(statusCode: response.status)
        switch response.body {
        case .bytes(let bytes):
            if response.status != 304 { headers.replaceOrAdd(name: "Content-Length", value: String(bytes.count)) }
            if !keepAlive { headers.replaceOrAdd(name: "Connection", value: "close") }
            try await outbound.write(.head(HTTPResponseHead(version: head.version, status: status, headers: headers)))
            if head.method != .HEAD, response.status != 304, !bytes.isEmpty {
                try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: bytes))))
            }
            try await outbound.write(.end(nil))
            return keepAlive
        case .events(let messages):
            // No length: NIO sends the stream chunked, one chunk a message, until either side ends it.
            try await outbound.write(.head(HTTPResponseHead(version: head.version, status: status, headers: headers)))
            if head.method != .HEAD {
                for await message in messages {
                    try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: message))))
                }
            }
            try await outbound.write(.end(nil))
            return false
        }
    }

    static func describe(_ errno: CInt) -> String {
        switch errno {
        case EADDRINUSE: "the port is in use (choose another with --port)"
        case EADDRNOTAVAIL: "no such address on this machine"
        case EACCES: "permission denied (ports below 1024 need privileges)"
        default: String(cString: strerror(errno))
        }
    }
}

/// Closes a connection when `IdleStateHandler` reports it idle.
private final class CloseWhenIdle: ChannelInboundHandler {
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}
