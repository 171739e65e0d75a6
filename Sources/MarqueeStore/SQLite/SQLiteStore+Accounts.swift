import Foundation
import GRDB
import MarqueeCore

/// Accounts: sign-up, login lookups, admins.
extension SQLiteStore {
    public func createUser(_ new: NewUser) async throws -> User {
        let user = User(id: Identifier.make(), name: new.name, email: new.email, role: new.role, createdAt: new.createdAt)
        do {
            try await writeImmediately { db in
                try Self.insert(user, passwordHash: new.passwordHash, into: db)
            }
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            throw MarqueeError.emailTaken
        }
        return user
    }

    static func insert(_ user: User, passwordHash: String, into db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO users (id, name, email, email_key, password_hash, role, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                user.id, user.name, user.email, EmailAddress.key(user.email), passwordHash, user.role.rawValue,
                Micros.from(user.createdAt),
            ]
        )
    }

    static let userColumns = "id, name, email, role, created_at, password_hash"

    static func user(_ row: Row) -> User {
        User(
            id: row["id"], name: row["name"], email: row["email"],
            role: UserRole(rawValue: row["role"]) ?? .customer, createdAt: Micros.date(row["created_at"])
        )
    }

    public func credentials(email: String) async throws -> Credentials? {
        try await pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT \(Self.userColumns), session_epoch FROM users WHERE email_key = ?",
                arguments: [EmailAddress.key(email)]
            ).map { Credentials(user: Self.user($0), passwordHash: $0["password_hash"], sessionEpoch: $0["session_epoch"]) }
        }
    }

    public func user(id: String) async throws -> User? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.userColumns) FROM users WHERE id = ?", arguments: [id])
                .map(Self.user)
        }
    }

    public func ensureAdmin(email: String, name: String, passwordHash: String?, now: Date) async throws -> User {
        try await writeImmediately { db in
            let key = EmailAddress.key(email)
            if let row = try Row.fetchOne(
                db, sql: "SELECT \(Self.userColumns) FROM users WHERE email_key = ?", arguments: [key])
            {
                try db.execute(
                    sql: "UPDATE users SET role = 'admin', password_hash = coalesce(?, password_hash) WHERE id = ?",
                    arguments: [passwordHash, row["id"] as String]
                )
                var user = Self.user(row)
                user.role = .admin
                return user
            }
            guard let passwordHash else { throw AdminBootstrapError.passwordRequired(email: email) }
            let user = User(id: Identifier.make(), name: name, email: email, role: .admin, createdAt: now)
            try Self.insert(user, passwordHash: passwordHash, into: db)
            return user
        }
    }
}
