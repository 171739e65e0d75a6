import Foundation
import Logging
import MarqueeCore
import MarqueeStore

/// Opens the configured store, runs `body` with its services running, and closes it: for
/// commands that use the database without serving HTTP.
public func withStore<T: Sendable>(
    _ configuration: AppConfiguration, logger: Logger, _ body: @Sendable (any BookingStore) async throws -> T
) async throws -> T {
    let opened = try openStore(configuration, logger: logger)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        for service in opened.services { group.addTask { try await service.run() } }
        defer { group.cancelAll() }
        let result = try await body(opened.store)
        try await opened.store.close()
        return result
    }
}

/// Creates an admin or promotes an existing account, checking a given password by the
/// same rules as signup.
public func ensureAdmin(
    in store: any BookingStore, email: String, name: String, password: String?, bcryptCost: Int
) async throws -> User {
    guard EmailAddress.isValid(email) else { throw ConfigurationError("\(email) is not a valid email address.") }
    var hash: String?
    if let password {
        _ = try SignupRules.validate(name: name, email: email, password: password)
        hash = try await PasswordHasher(cost: bcryptCost).hash(password)
    }
    return try await store.ensureAdmin(email: email, name: name, passwordHash: hash, now: Date())
}
