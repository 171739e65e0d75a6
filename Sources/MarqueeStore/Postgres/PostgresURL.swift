import Foundation
import NIOSSL
import PostgresNIO

/// Reads a `postgres://user:password@host:port/database?sslmode=…` URL into a client
/// configuration. A `host` query item that starts with `/` names a Unix socket directory.
public enum PostgresURL {
    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
    }

    public static func configuration(_ url: String) throws -> PostgresClient.Configuration {
        let parts = try parse(url)
        if let socket = parts.unixSocketPath {
            return PostgresClient.Configuration(
                unixSocketPath: socket, username: parts.user, password: parts.password, database: parts.database)
        }
        let tls: PostgresClient.Configuration.TLS =
            switch parts.sslMode {
            case .disable: .disable
            case .require: .require(.makeClientConfiguration())
            case .prefer: .prefer(.makeClientConfiguration())
            }
        return PostgresClient.Configuration(
            host: parts.host, port: parts.port, username: parts.user, password: parts.password,
            database: parts.database, tls: tls)
    }

    /// The same database for a single connection of its own (the change listener's).
    public static func connectionConfiguration(_ url: String) throws -> PostgresConnection.Configuration {
        let parts = try parse(url)
        if let socket = parts.unixSocketPath {
            return PostgresConnection.Configuration(
                unixSocketPath: socket, username: parts.user, password: parts.password, database: parts.database)
        }
        let tls: PostgresConnection.Configuration.TLS =
            switch parts.sslMode {
            case .disable: .disable
            case .require: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            case .prefer: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
        return PostgresConnection.Configuration(
            host: parts.host, port: parts.port, username: parts.user, password: parts.password,
            database: parts.database, tls: tls)
    }

    private enum SSLMode { case disable, prefer, require }

    private struct Parts {
        var host: String
        var port: Int
        var user: String
        var password: String?
        var database: String
        var unixSocketPath: String?
        var sslMode: SSLMode
    }

    private static func parse(_ url: String) throws -> Parts {
        guard let components = URLComponents(string: url),
            let scheme = components.scheme, ["postgres", "postgresql"].contains(scheme)
        else { throw Invalid(description: "DATABASE_URL must look like postgres://user:password@host:5432/database") }
        let query = Dictionary(
            (components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        let user = components.percentEncodedUser?.removingPercentEncoding ?? "postgres"
        let password = components.percentEncodedPassword?.removingPercentEncoding
        var database = String(components.path.dropFirst())
        if database.isEmpty { database = user }
        let port = components.port ?? 5432
        let socket = query["host"].flatMap { $0.hasPrefix("/") ? "\($0)/.s.PGSQL.\(port)" : nil }
        let sslMode: SSLMode =
            switch query["sslmode"] ?? "prefer" {
            case "disable": .disable
            case "require", "verify-ca", "verify-full": .require
            default: .prefer
            }
        return Parts(
            host: components.host ?? "localhost", port: port, user: user, password: password, database: database,
            unixSocketPath: socket, sslMode: sslMode)
    }

    /// `host:port` of the URL (a socket's directory for a Unix socket): a replica's name in
    /// logs and metrics, with no credentials in it.
    public static func hostAndPort(_ url: String) -> String {
        guard let parts = try? parse(url) else { return "?" }
        return parts.unixSocketPath ?? "\(parts.host):\(parts.port)"
    }

    /// The URL with its password replaced, safe to log.
    public static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return "postgres://…" }
        if components.password != nil { components.password = "***" }
        return components.string ?? "postgres://…"
    }
}
