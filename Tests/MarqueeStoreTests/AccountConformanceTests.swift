import Foundation
import MarqueeCore
import MarqueeStore
import MarqueeTestSupport
import Testing

/// Accounts on both engines: lookups by id and by email in any case, one account per email,
/// and admins made at start-up by any number of instances at once.
@Suite struct AccountConformanceTests {
    @Test(arguments: Engine.available)
    func aUserCanBeFoundByIdAndByEmailInAnyCase(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let user = try await store.createUser(
                NewUser(name: "Ann", email: "Ann@Example.com", passwordHash: "hash-1", createdAt: Date()))
            #expect(same(try await store.user(id: user.id), user))
            let credentials = try #require(try await store.credentials(email: "ann@EXAMPLE.com"))
            #expect(credentials.user.id == user.id)
            #expect(credentials.passwordHash == "hash-1")
            #expect(try await store.credentials(email: "nobody@example.com") == nil)
            #expect(try await store.user(id: "not-an-id") == nil)
        }
    }

    @Test(arguments: Engine.available)
    func anEmailCanBeUsedOnceWhateverItsCase(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            _ = try await fixture.store.createUser(
                NewUser(name: "Ann", email: "ann@example.com", passwordHash: "h", createdAt: Date()))
            await #expect(throws: MarqueeError.emailTaken) {
                try await fixture.store.createUser(
                    NewUser(name: "Other", email: "ANN@example.com", passwordHash: "h", createdAt: Date()))
            }
        }
    }

    @Test(arguments: Engine.available)
    func ensureAdminCreatesOrPromotes(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let customer = try await store.makeUser("Bea")
            let promoted = try await store.ensureAdmin(email: customer.email.uppercased(), name: "x", passwordHash: nil, now: Date())
            #expect(promoted.id == customer.id)
            #expect(try await store.user(id: customer.id)?.role == .admin)
            let created = try await store.ensureAdmin(email: "root@example.com", name: "Root", passwordHash: "h2", now: Date())
            #expect(created.role == .admin)
            #expect(try await store.credentials(email: "root@example.com")?.passwordHash == "h2")
            await #expect(throws: AdminBootstrapError.self) {
                try await store.ensureAdmin(email: "new@example.com", name: "N", passwordHash: nil, now: Date())
            }
        }
    }

    /// Several instances starting together all bootstrap the same admin.
    @Test(arguments: Engine.available)
    func instancesBootstrappingOneAdminAtOnceAllSucceed(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let admins = try await withThrowingTaskGroup(of: User.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await store.ensureAdmin(email: "boss@example.com", name: "Boss", passwordHash: "h", now: Date())
                    }
                }
                return try await group.reduce(into: [User]()) { $0.append($1) }
            }
            #expect(Set(admins.map(\.id)).count == 1)
            #expect(admins.allSatisfy { $0.role == .admin })
        }
    }
}
