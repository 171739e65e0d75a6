import Foundation
import Logging
import MarqueeCore
import PostgresNIO

/// Idempotency-Key records: begin, finish, release, purge.
extension PostgresStore {
    public func beginIdempotent(_ key: IdempotencyKey, now: Date, staleAfter: Duration) async throws
        -> IdempotencyStart
    {
        guard let user = Identifier.uuid(key.userId) else { throw MarqueeError.notFound("user") }
        for try await _ in try await client.query(
            """
            INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at)
            VALUES (\(user), \(key.key), \(key.fingerprint), \(now))
            ON CONFLICT (user_id, key) DO NOTHING RETURNING 1
            """, logger: logger
        ) {
            return .proceed
        }
        // A new statement, so it sees the record that made the insert do nothing.
        for try await (fingerprint, status, body) in try await client.query(
            """
            SELECT fingerprint, response_status, response_body FROM idempotency_keys
            WHERE user_id = \(user) AND key = \(key.key)
            """, logger: logger
        ).decode((String, Int32?, String?).self) {
            guard fingerprint == key.fingerprint else { return .mismatch }
            if let status { return .replay(StoredResponse(status: Int(status), body: body ?? "")) }
        }
        let stale = now.addingTimeInterval(-Double(staleAfter.components.seconds))
        for try await _ in try await client.query(
            """
            UPDATE idempotency_keys SET created_at = \(now)
            WHERE user_id = \(user) AND key = \(key.key) AND response_status IS NULL AND created_at < \(stale)
            RETURNING 1
            """, logger: logger
        ) {
            return .proceed
        }
        return .inFlight
    }

    public func finishIdempotent(_ key: IdempotencyKey, response: StoredResponse) async throws {
        guard let user = Identifier.uuid(key.userId) else { return }
        try await client.query(
            """
            UPDATE idempotency_keys SET response_status = \(Int32(response.status)), response_body = \(response.body)
            WHERE user_id = \(user) AND key = \(key.key)
            """, logger: logger)
    }

    public func releaseIdempotent(_ key: IdempotencyKey) async throws {
        guard let user = Identifier.uuid(key.userId) else { return }
        try await client.query(
            """
            DELETE FROM idempotency_keys
            WHERE user_id = \(user) AND key = \(key.key) AND response_status IS NULL
            """, logger: logger)
    }

    public func purgeIdempotencyKeys(createdBefore cutoff: Date) async throws -> Int {
        var count = 0
        for try await _ in try await client.query(
            "DELETE FROM idempotency_keys WHERE created_at < \(cutoff) RETURNING 1", logger: logger)
        {
            count += 1
        }
        return count
    }
}
