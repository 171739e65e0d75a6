import Foundation
import GRDB
import MarqueeCore

/// Idempotency-Key records: begin, finish, release, purge.
extension SQLiteStore {
    public func beginIdempotent(_ key: IdempotencyKey, now: Date, staleAfter: Duration) async throws
        -> IdempotencyStart
    {
        let at = Micros.from(now)
        let stale = Micros.from(now.addingTimeInterval(-Double(staleAfter.components.seconds)))
        return try await writeImmediately { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT fingerprint, response_status, response_body, created_at FROM idempotency_keys
                        WHERE user_id = ? AND key = ?
                        """,
                    arguments: [key.userId, key.key])
            else {
                try db.execute(
                    sql: "INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at) VALUES (?, ?, ?, ?)",
                    arguments: [key.userId, key.key, key.fingerprint, at])
                return .proceed
            }
            guard row["fingerprint"] as String == key.fingerprint else { return .mismatch }
            if let status = row["response_status"] as Int? {
                return .replay(StoredResponse(status: status, body: row["response_body"] ?? ""))
            }
            guard (row["created_at"] as Int64) < stale else { return .inFlight }
            try db.execute(
                sql: "UPDATE idempotency_keys SET created_at = ? WHERE user_id = ? AND key = ?",
                arguments: [at, key.userId, key.key])
            return .proceed
        }
    }

    public func finishIdempotent(_ key: IdempotencyKey, response: StoredResponse) async throws {
        try await writeImmediately { db in try Self.store(response, bookingId: nil, under: key, in: db) }
    }

    public func releaseIdempotent(_ key: IdempotencyKey) async throws {
        try await writeImmediately { db in
            try db.execute(
                sql: "DELETE FROM idempotency_keys WHERE user_id = ? AND key = ? AND response_status IS NULL",
                arguments: [key.userId, key.key])
        }
    }

    public func purgeIdempotencyKeys(createdBefore cutoff: Date) async throws -> Int {
        try await writeImmediately { db in
            try db.execute(sql: "DELETE FROM idempotency_keys WHERE created_at < ?", arguments: [Micros.from(cutoff)])
            return db.changesCount
        }
    }
}
