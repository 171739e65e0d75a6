import Crypto
import Foundation
import MarqueeCore

/// The signature a receiver checks: `v1=` and the hex HMAC-SHA256, keyed with the webhook's
/// secret, of the timestamp, a dot and the body. The timestamp lets receivers refuse replays.
enum WebhookSignature {
    static func header(secret: String, timestamp: Int, body: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(
            for: Data("\(timestamp).\(body)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return "v1=" + mac.hexString
    }
}
