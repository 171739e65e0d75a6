import Foundation

/// One HMAC key for signing tokens, named by the `kid` that tokens carry.
public struct SigningKey: Sendable, Equatable {
    public static let minimumSecretBytes = 32

    public var kid: String
    public var secret: [UInt8]

    public init(kid: String, secret: [UInt8]) throws {
        guard !kid.isEmpty, kid.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
            throw ConfigurationError("A JWT key id may use only letters, digits, '-', '_' and '.', and not be empty.")
        }
        guard secret.count >= Self.minimumSecretBytes else {
            throw ConfigurationError("The JWT key \"\(kid)\" is too short: use at least \(Self.minimumSecretBytes) bytes.")
        }
        self.kid = kid
        self.secret = secret
    }

    /// Reads `kid:secret[,kid:secret…]`, as `MARQUEE_JWT_KEYS` holds them. The first key signs.
    public static func parseList(_ text: String) throws -> [SigningKey] {
        try text.split(whereSeparator: { $0 == "," || $0.isNewline }).map { entry in
            let parts = entry.trimmingCharacters(in: .whitespaces).split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else {
                throw ConfigurationError("MARQUEE_JWT_KEYS entries look like kid:secret, separated by commas.")
            }
            return try SigningKey(kid: String(parts[0]), secret: Array(parts[1].utf8))
        }
    }

    /// The key kept beside the SQLite file, made on first use, so tokens outlive a restart of
    /// the embedded server without anyone configuring a secret.
    public static func embedded(besideDatabaseAt databasePath: String) throws -> SigningKey {
        let path = databasePath + ".jwt-key"
        if let text = try? String(contentsOfFile: path, encoding: .utf8), let key = try parseList(text).first {
            return key
        }
        var generator = SystemRandomNumberGenerator()
        let secret = (0..<48).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let kid = "local-" + (0..<4).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }
            .joined()
        let encoded = Data(secret).base64EncodedString()
        let key = try SigningKey(kid: kid, secret: Array(encoded.utf8))
        // Created owner-only, then written: the secret is never readable by others.
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw ConfigurationError("Cannot write the JWT key file \(path); set MARQUEE_JWT_KEYS instead.")
        }
        try Data("\(kid):\(encoded)\n".utf8).write(to: URL(fileURLWithPath: path))
        return key
    }
}
