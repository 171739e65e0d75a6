import Crypto
import Foundation
import Hummingbird
import MarqueeCore

/// Strong entity tags for bodies served from memory (the web app's files, cached reads),
/// and the `If-None-Match` check that turns a repeat request into a 304.
enum EntityTag {
    /// A quoted, shortened SHA-256 of the body.
    static func of(_ body: some DataProtocol) -> String {
        "\"" + SHA256.hash(data: body).prefix(12).hexString + "\""
    }

    /// Whether the request's `If-None-Match` names `etag`.
    static func matches(_ request: Request, _ etag: String) -> Bool {
        guard let sent = request.headers[.ifNoneMatch] else { return false }
        return sent.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces) == etag }
    }
}
