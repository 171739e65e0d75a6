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
        return matches(sent, etag)
    }

    /// Whether an `If-None-Match` list names `etag`: `*`, or the tag by the weak comparison
    /// RFC 9110 asks for (`W/"x"` matches `"x"`).
    static func matches(_ header: String, _ etag: String) -> Bool {
        header.split(separator: ",").contains { tag in
            let tag = tag.trimmingCharacters(in: .whitespaces)
            return tag == "*" || tag == etag || tag == "W/" + etag
        }
    }
}
