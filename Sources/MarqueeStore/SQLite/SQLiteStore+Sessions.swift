import Foundation
import GRDB
import MarqueeCore

/// Sessions ended before their tokens expire (migrations/0005_sessions.sql). SQLite has one
/// writer at a time, so ids are handed out in commit order and `after` alone finds the new rows.
extension SQLiteStore {
    public func revokeToken(digest: String, userId: String, expiresAt: Date, now: Date) async throws {
        try await writeImmediately { db in
            try db.execute(
                sql: """
                    INSERT INTO session_revocations (user_id, token_digest, expires_at, created_at)
                    VALUES (?, ?, ?, ?)
                    """,
                arguments: [userId, digest, Micros.from(expiresAt), Micros.from(now)])
        }
    }

    public func revokeSessions(userId: String, keepUntil: Date, now: Date) async throws -> Int? {
        try await writeImmediately { db in
            guard
                let epoch = try Int.fetchOne(
                    db, sql: "UPDATE users SET session_epoch = session_epoch + 1 WHERE id = ? RETURNING session_epoch",
                    arguments: [userId])
            else { return nil }
            try db.execute(
                sql: """
                    INSERT INTO session_revocations (user_id, session_epoch, expires_at, created_at)
                    VALUES (?, ?, ?, ?)
                    """,
                arguments: [userId, epoch, Micros.from(keepUntil), Micros.from(now)])
            return epoch
        }
    }

    public func sessionRevocations(after id: Int64, now: Date) async throws -> [SessionRevocation] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, user_id, token_digest, session_epoch, expires_at FROM session_revocations
                    WHERE id > ? AND expires_at > ? ORDER BY id
                    """,
                arguments: [id, Micros.from(now)]
            ).map { row in
                let digest: String? = row["token_digest"]
                return SessionRevocation(
                    id: row["id"], userId: row["user_id"],
                    target: digest.map { .token(digest: $0) } ?? .epochsBefore(row["session_epoch"]),
                    expiresAt: Micros.date(row["expires_at"]))
            }
        }
    }

    public func purgeSessionRevocations(expiredBefore cutoff: Date) async throws -> Int {
        try await writeImmediately { db in
            try db.execute(sql: "DELETE FROM session_revocations WHERE expires_at < ?", arguments: [Micros.from(cutoff)])
            return db.changesCount
        }
    }
}

/// Failed logins (migrations/0006_login_failures.sql).
extension SQLiteStore {
    public func loginFailures(keys: [String], since: Date) async throws -> [String: LoginFailures] {
        try await pool.read { db in
            var found: [String: LoginFailures] = [:]
            for key in keys {
                let row = try Row.fetchOne(
                    db, sql: "SELECT count(*) AS n, min(failed_at) AS oldest FROM login_failures WHERE key = ? AND failed_at > ?",
                    arguments: [key, Micros.from(since)])
                if let row, let count: Int = row["n"], count > 0, let oldest: Int64 = row["oldest"] {
                    found[key] = LoginFailures(count: count, oldest: Micros.date(oldest))
                }
            }
            return found
        }
    }

    public func recordLoginFailure(keys: [String], at: Date) async throws {
        try await writeImmediately { db in
            for key in keys {
                try db.execute(
                    sql: "INSERT INTO login_failures (key, failed_at) VALUES (?, ?)", arguments: [key, Micros.from(at)])
            }
        }
    }

    public func purgeLoginFailures(before cutoff: Date) async throws -> Int {
        try await writeImmediately { db in
            try db.execute(sql: "DELETE FROM login_failures WHERE failed_at < ?", arguments: [Micros.from(cutoff)])
            return db.changesCount
        }
    }
}
