import Foundation
import Logging
import MarqueeCore
import PostgresNIO

/// Accounts: sign-up, login lookups, admins.
extension PostgresStore {
    static let userColumns = "id, name, email, role, created_at, password_hash"
    typealias UserRow = (UUID, String, String, String, Date, String)

    static func user(_ row: UserRow) -> User {
        User(
            id: Identifier.text(row.0), name: row.1, email: row.2,
            role: UserRole(rawValue: row.3) ?? .customer, createdAt: row.4)
    }

    public func createUser(_ new: NewUser) async throws -> User {
        let user = User(id: Identifier.make(), name: new.name, email: new.email, role: new.role, createdAt: new.createdAt)
        do {
            try await insert(user, passwordHash: new.passwordHash)
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
            throw MarqueeError.emailTaken
        }
        return user
    }

    func insert(_ user: User, passwordHash: String) async throws {
        try await client.query(
            """
            INSERT INTO users (id, name, email, email_key, password_hash, role, created_at)
            VALUES (\(Identifier.uuid(user.id)!), \(user.name), \(user.email), \(EmailAddress.key(user.email)),
                    \(passwordHash), \(user.role.rawValue), \(user.createdAt))
            """, logger: logger)
    }

    public func credentials(email: String) async throws -> Credentials? {
        let rows = try await client.query(
            "SELECT \(unescaped: Self.userColumns), session_epoch FROM users WHERE email_key = \(EmailAddress.key(email))",
            logger: logger)
        for try await row in rows.decode((UUID, String, String, String, Date, String, Int).self) {
            return Credentials(
                user: Self.user((row.0, row.1, row.2, row.3, row.4, row.5)), passwordHash: row.5, sessionEpoch: row.6)
        }
        return nil
    }

    public func user(id: String) async throws -> User? {
        guard let uuid = Identifier.uuid(id) else { return nil }
        let rows = try await client.query(
            "SELECT \(unescaped: Self.userColumns) FROM users WHERE id = \(uuid)", logger: logger)
        for try await row in rows.decode(UserRow.self) { return Self.user(row) }
        return nil
    }

    public func ensureAdmin(email: String, name: String, passwordHash: String?, now: Date) async throws -> User {
        let key = EmailAddress.key(email)
        // One statement each way, so instances bootstrapping the same admin at once cannot
        // both insert: the upsert resolves on the unique email key.
        let query: PostgresQuery
        if let passwordHash {
            query = """
                INSERT INTO users (id, name, email, email_key, password_hash, role, created_at)
                VALUES (\(UUID()), \(name), \(email), \(key), \(passwordHash), 'admin', \(now))
                ON CONFLICT (email_key) DO UPDATE SET role = 'admin', password_hash = EXCLUDED.password_hash
                RETURNING \(unescaped: Self.userColumns)
                """
        } else {
            query = """
                UPDATE users SET role = 'admin' WHERE email_key = \(key)
                RETURNING \(unescaped: Self.userColumns)
                """
        }
        for try await row in try await client.query(query, logger: logger).decode(UserRow.self) {
            return Self.user(row)
        }
        throw AdminBootstrapError.passwordRequired(email: email)
    }
}
