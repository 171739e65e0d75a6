import Crypto
import Foundation
import JWTKit
import MarqueeCore
import NIOConcurrencyHelpers

/// The claims of a Marquee access token. All of them are checked on every request.
struct AccessClaims: JWTPayload {
    var sub: SubjectClaim
    var iss: IssuerClaim
    var aud: AudienceClaim
    var exp: ExpirationClaim
    var iat: IssuedAtClaim?
    /// Makes every token unique, so that ending one session never ends another.
    var jti: IDClaim?
    /// The account's session epoch when the token was issued (absent means 0): logout-all
    /// moves the epoch on, and tokens from before it are refused (``SessionRevocations``).
    var sep: Int?

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }
}

/// Signs and verifies access tokens: HS256 only, with `kid`, `iss`, `aud`, `exp` and `sub`.
/// The first configured key signs; every configured key verifies, which is how keys rotate.
struct TokenAuthority: Sendable {
    private let keys: JWTKeyCollection
    private let signingKid: String
    private let knownKids: Set<String>
    private let issuer: String
    private let audience: String
    private let lifetime: Duration
    private let verified = VerifiedTokens()

    init(keys signingKeys: [SigningKey], issuer: String, audience: String, lifetime: Duration) async {
        let collection = JWTKeyCollection()
        for key in signingKeys {
            await collection.add(hmac: HMACKey(from: key.secret), digestAlgorithm: .sha256, kid: JWKIdentifier(string: key.kid))
        }
        self.keys = collection
        self.signingKid = signingKeys[0].kid
        self.knownKids = Set(signingKeys.map(\.kid))
        self.issuer = issuer
        self.audience = audience
        self.lifetime = lifetime
    }

    /// How long a token is good for; a session revocation is kept as long.
    var tokenLifetime: Duration { lifetime }

    func issue(for user: User, sessionEpoch: Int = 0, now: Date = Date()) async throws -> String {
        // Whole seconds: NumericDate may be fractional, but many verifiers expect integers.
        let now = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        let claims = AccessClaims(
            sub: SubjectClaim(value: user.id), iss: IssuerClaim(value: issuer), aud: AudienceClaim(value: audience),
            exp: ExpirationClaim(value: now.addingTimeInterval(lifetime.seconds)), iat: IssuedAtClaim(value: now),
            jti: IDClaim(value: Identifier.make()), sep: sessionEpoch == 0 ? nil : sessionEpoch
        )
        return try await keys.sign(claims, kid: JWKIdentifier(string: signingKid))
    }

    /// What a valid token says; throws ``MarqueeError/unauthenticated(_:)`` otherwise. Whether
    /// its session has ended is ``SessionRevocations``' to say.
    func verify(_ token: String) async throws(MarqueeError) -> VerifiedToken {
        if let known = verified.token(token, at: Date()) { return known }
        // JWTKit would fall back to its default key for an unknown kid; Marquee refuses
        // any token whose header is not exactly an HS256 token with one of its own kids.
        guard let header = Self.header(of: token), header.alg == "HS256", let kid = header.kid,
            knownKids.contains(kid)
        else { throw .unauthenticated("The token is not valid.") }
        let claims: AccessClaims
        do {
            claims = try await keys.verify(token, as: AccessClaims.self)
        } catch let error as JWTError where error.errorType == .claimVerificationFailure {
            throw .unauthenticated("The token has expired.")
        } catch {
            throw .unauthenticated("The token is not valid.")
        }
        guard claims.iss.value == issuer, claims.aud.value.contains(audience), !claims.sub.value.isEmpty else {
            throw .unauthenticated("The token is not valid.")
        }
        let known = VerifiedToken(
            subject: claims.sub.value, sessionEpoch: claims.sep ?? 0, expires: claims.exp.value,
            digest: VerifiedToken.digest(of: token))
        verified.remember(token, known)
        return known
    }

    private struct Header: Decodable {
        var alg: String?
        var kid: String?
    }

    private static func header(of token: String) -> Header? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, var base64 = parts.first.map(String.init) else { return nil }
        base64 = base64.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64) else { return nil }
        return try? JSONDecoder().decode(Header.self, from: data)
    }
}

/// What a token that passed every check says, and the digest a logout records it by.
struct VerifiedToken: Sendable {
    var subject: String
    var sessionEpoch: Int
    var expires: Date
    /// SHA-256 of the token's text, hex: how a revocation names one token without keeping it.
    var digest: String

    static func digest(of token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).hexString
    }
}

/// Tokens that passed every check lately, with what each says. A client
/// sends the same token with every request, and checking it again (two JSON documents, base64
/// and an HMAC) is work a booking need not repeat. A token's string is its signature too, the
/// keys do not change while the process runs, and the expiry is checked on every use, so
/// knowing a token answers exactly as checking it would.
final class VerifiedTokens: Sendable {
    private let entries = NIOLockedValueBox<[String: VerifiedToken]>([:])
    let capacity: Int

    init(capacity: Int = 10_000) {
        self.capacity = capacity
    }

    /// A token verified before and unexpired at `now`.
    func token(_ token: String, at now: Date) -> VerifiedToken? {
        entries.withLockedValue { entries in
            guard let entry = entries[token] else { return nil }
            guard entry.expires > now else {
                entries[token] = nil
                return nil
            }
            return entry
        }
    }

    func remember(_ token: String, _ verified: VerifiedToken) {
        entries.withLockedValue { entries in
            // Many clients at once: start afresh rather than grow without end.
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[token] = verified
        }
    }
}
