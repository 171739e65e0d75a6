import Crypto
import Foundation
import MarqueeCore

/// Queue passes (API.md, "Queues"): a short signed token naming the account, the show, the
/// entry and the expiry, so any instance checks one without a query. Signed with the
/// configured JWT keys (the first signs, every one verifies, so keys rotate as tokens do),
/// under a label of its own, so a pass is never mistaken for a token or the other way round.
/// Its single use is not here: the booking's own transaction records it (bookings.queue_entry_id).
///
/// The text is `kid.payload.mac`: `payload` is base64url of `showId:entryId:userId:expiry`
/// (seconds since 1970), `mac` base64url of HMAC-SHA256 over `marquee-queue-pass.kid.payload`.
struct QueuePasses: Sendable {
    let keys: [SigningKey]

    /// What a good pass names.
    struct Claims: Equatable {
        var showId: String
        var entryId: String
        var userId: String
        var expiresAt: Date
    }

    func issue(_ claims: Claims) -> String {
        let key = keys[0]
        let expiry = Int64(claims.expiresAt.timeIntervalSince1970.rounded(.down))
        let payload = Self.base64URL(Data("\(claims.showId):\(claims.entryId):\(claims.userId):\(expiry)".utf8))
        return "\(key.kid).\(payload).\(Self.mac(key, kid: key.kid, payload: payload))"
    }

    /// The entry a pass admits `userId` to book `showId` with at `now`; throws
    /// ``MarqueeError/queuePass(_:)`` `.invalid` for anything else.
    func verify(_ pass: String, userId: String, showId: String, now: Date) throws(MarqueeError) -> String {
        let parts = pass.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, let key = keys.first(where: { $0.kid == parts[0] }),
            Self.constantTimeEqual(Self.mac(key, kid: parts[0], payload: parts[1]), parts[2]),
            let data = Self.data(base64URL: parts[1])
        else { throw .queuePass(.invalid) }
        let fields = String(decoding: data, as: UTF8.self).split(separator: ":").map(String.init)
        guard fields.count == 4, let expiry = Int64(fields[3]), fields[0] == showId, fields[2] == userId,
            Date(timeIntervalSince1970: TimeInterval(expiry)) > now
        else { throw .queuePass(.invalid) }
        return fields[1]
    }

    private static func mac(_ key: SigningKey, kid: String, payload: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(
            for: Data("marquee-queue-pass.\(kid).\(payload)".utf8), using: SymmetricKey(data: key.secret))
        return base64URL(Data(code))
    }

    private static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    private static func data(base64URL text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }

    private static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let (x, y) = (Array(a.utf8), Array(b.utf8))
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
