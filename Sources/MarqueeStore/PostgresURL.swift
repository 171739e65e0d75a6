import Foundation
import PostgresNIO

/// Reads a `postgres://user:password@host:port/database?sslmode=…` URL into a client
/// configuration. A `host` query item that starts with `/` names a Unix socket directory.
public enum PostgresURL {
    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
    }

    public static func configuration(_ url: String) throws -> PostgresClient.Configuration {
        guard let components = URLComponents(string: url),
            let scheme = components.scheme, ["postgres", "postgresql"].contains(scheme)
        else { throw Invalid(description: "DATABASE_URL must look like postgres://user:password@host:5432/database") }
        let query = Dictionary(
            (components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        let user = components.percentEncodedUser?.removingPercentEncoding ?? "postgres"
        let password = components.percentEncodedPassword?.removingPercentEncoding
        var database = String(components.path.dropFirst())
        if database.isEmpty { database = user }
        if let socketDirectory = query["host"], socketDirectory.hasPrefix("/") {
            let port = components.port ?? 5432
            return PostgresClient.Configuration(
                unixSocketPath: "\(socketDirectory)/.s.PGSQL.\(port)", username: user, password: password,
                database: database)
        }
        let tls: PostgresClient.Configuration.TLS
        switch query["sslmode"] ?? "prefer" {
        case "disable": tls = .disable
        case "require", "verify-ca", "verify-full": tls = .require(.makeClientConfiguration())
        default: tls = .prefer(.makeClientConfiguration())
        }
        return PostgresClient.Configuration(
            host: components.host ?? "localhost", port: components.port ?? 5432, username: user,
            password: password, database: database, tls: tls)
    }

    /// The URL with its password replaced, safe to log.
    public static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return "postgres://…" }
        if components.password != nil { components.password = "***" }
        return components.string ?? "postgres://…"
    }
}
