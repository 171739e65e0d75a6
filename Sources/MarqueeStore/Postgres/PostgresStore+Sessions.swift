import Foundation
import MarqueeCore
import PostgresNIO

/// Sessions ended before their tokens expire (migrations/0008_sessions.sql).
extension PostgresStore {
    /// How far back a read looks for rows with lower ids than the last one seen: a
    /// transaction that took its id first may commit after one that took a later id. Each
    /// write here is one short statement, so seconds are ample.
    static let revocationOverlap = "10 seconds"

    public func revokeToken(digest: String, userId: String, expiresAt: Date, now: Date) async throws {
        guard let user = Identifier.uuid(userId) else { return }
        try await client.query(
            """
            INSERT INTO session_revocations (user_id, token_digest, expires_at)
            VALUES (\(user), \(digest), \(expiresAt))
            """, logger: logger)
    }

    public func revokeSessions(userId: String, keepUntil: Date, now: Date) async throws -> Int? {
        guard let user = Identifier.uuid(userId) else { return nil }
        // One statement: the epoch moves and is recorded together, or neither happens.
        let rows = try await client.query(
            """
            WITH moved AS (
                UPDATE users SET session_epoch = session_epoch + 1 WHERE id = \(user) RETURNING session_epoch)
            INSERT INTO session_revocations (user_id, session_epoch, expires_at)
            SELECT \(user), session_epoch, \(keepUntil) FROM moved
            RETURNING session_epoch
            """, logger: logger)
        for try await epoch in rows.decode(Int.self) { return epoch }
        return nil
    }

    public func sessionRevocations(after id: Int64, now: Date) async throws -> [SessionRevocation] {
        let rows = try await client.query(
            """
            SELECT id, user_id, token_digest, session_epoch, expires_at FROM session_revocations
            WHERE (id > \(id) OR created_at > now() - interval '\(unescaped: Self.revocationOverlap)')
              AND expires_at > \(now)
            ORDER BY id
            """, logger: logger)
        var found: [SessionRevocation] = []
        for try await (id, user, digest, epoch, expires) in rows.decode((Int64, UUID, String?, Int?, Date).self) {
            let target: SessionRevocation.Target = digest.map { .token(digest: $0) } ?? .epochsBefore(epoch ?? 0)
            found.append(
                SessionRevocation(id: id, userId: Identifier.text(user), target: target, expiresAt: expires))
        }
        return found
    }

    public func purgeSessionRevocations(expiredBefore cutoff: Date) async throws -> Int {
        let rows = try await client.query(
            "WITH gone AS (DELETE FROM session_revocations WHERE expires_at < \(cutoff) RETURNING 1) SELECT count(*) FROM gone",
            logger: logger)
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }
}

/// Failed logins (migrations/0009_login_failures.sql).
extension PostgresStore {
    public func loginFailures(keys: [String], since: Date) async throws -> [String: LoginFailures] {
        let rows = try await client.query(
            """
            SELECT key, count(*)::int, min(failed_at) FROM login_failures
            WHERE key = ANY(\(keys)) AND failed_at > \(since) GROUP BY key
            """, logger: logger)
        var found: [String: LoginFailures] = [:]
        for try await (key, count, oldest) in rows.decode((String, Int, Date).self) {
            found[key] = LoginFailures(count: count, oldest: oldest)
        }
        return found
    }

    public func recordLoginFailure(keys: [String], at: Date) async throws {
        try await client.query(
            "INSERT INTO login_failures (key, failed_at) SELECT unnest(\(keys)::text[]), \(at)", logger: logger)
    }

    public func purgeLoginFailures(before cutoff: Date) async throws -> Int {
        let rows = try await client.query(
            "WITH gone AS (DELETE FROM login_failures WHERE failed_at < \(cutoff) RETURNING 1) SELECT count(*)::int FROM gone",
            logger: logger)
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }
}
