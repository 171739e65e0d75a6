import Foundation
import MarqueeCore
import MarqueeStore
import MarqueeTestSupport
import Testing

/// The behaviour every store must have, run against SQLite and PostgreSQL alike.
@Suite struct StoreConformanceTests {
    // MARK: Users

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

    /// Instances starting together all migrate the same database at once.
    @Test(arguments: Engine.available)
    func concurrentMigrationsOfAFreshDatabaseAllSucceed(engine: Engine) async throws {
        try await StoreHarness.withStore(engine, migrated: false) { fixture in
            try await fixture.reopened { second in
                try await fixture.reopened { third in
                    async let a: Void = fixture.store.migrate()
                    async let b: Void = second.migrate()
                    async let c: Void = third.migrate()
                    _ = try await (a, b, c)
                }
            }
            let user = try await fixture.store.makeUser("Mo")
            #expect(same(try await fixture.store.user(id: user.id), user))
        }
    }

    @Test(arguments: Engine.available)
    func migratingTwiceChangesNothing(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let user = try await fixture.store.makeUser("Cy")
            try await fixture.store.migrate()
            #expect(same(try await fixture.store.user(id: user.id), user))
        }
    }

    // MARK: Shows

    @Test(arguments: Engine.available)
    func showsArePagedByStartTimeThenIdWithoutGapsOrRepeats(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let base = Date(timeIntervalSince1970: 1_924_992_000.123456)
            var created: [Show] = []
            // Pairs share a start time, so the id decides their order.
            for index in 0..<7 {
                created.append(
                    try await store.createShow(
                        NewShow(name: "S\(index)", startTime: base.addingTimeInterval(Double(index / 2) * 3600),
                                totalSeats: 10), now: Date()))
            }
            let expected = created.sorted { ($0.startTime, $0.id) < ($1.startTime, $1.id) }.map(\.id)
            var seen: [String] = []
            var cursor: String?
            repeat {
                let page = try await store.shows(try ShowQuery(limit: 3, cursor: cursor, from: nil), now: Date())
                #expect(page.items.count <= 3)
                seen += page.items.map(\.id)
                cursor = page.next?.encoded
            } while cursor != nil
            #expect(seen == expected)

            let later = try await store.shows(
                try ShowQuery(limit: 50, cursor: nil, from: base.addingTimeInterval(2 * 3600)), now: Date())
            #expect(later.items.map(\.id) == Array(expected.suffix(3)))
            #expect(later.next == nil)
        }
    }

    @Test(arguments: Engine.available)
    func aShowKeepsItsFieldsAndCountsItsFreeSeats(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let show = try await store.makeShow(seats: 20)
            let user = try await store.makeUser("Dee")
            _ = try await store.book([4, 2], of: show, by: user)
            let detail = try #require(try await store.show(id: show.id, now: Date()))
            #expect(detail.show.name == show.name)
            #expect(abs(detail.show.startTime.timeIntervalSince(show.startTime)) < 0.000_01)
            #expect(detail.show.totalSeats == 20)
            #expect(detail.show.availableSeats == 18)
            #expect(detail.takenSeats == [2, 4])
            let listed = try await store.shows(try ShowQuery(limit: 10, cursor: nil, from: nil), now: Date())
            #expect(listed.items.first { $0.id == show.id }?.availableSeats == 18)
            #expect(try await store.show(id: Identifier.make(), now: Date()) == nil)
            #expect(try await store.show(id: "garbage", now: Date()) == nil)
        }
    }

    // MARK: Bookings

    @Test(arguments: Engine.available)
    func aBookingTakesItsSeatsAndIsStored(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let show = try await store.makeShow(seats: 10)
            let user = try await store.makeUser("Eve")
            let booking = try await store.book([3, 1], of: show, by: user)
            #expect(booking.status == .confirmed)
            #expect(booking.seats == [1, 3])
            #expect(booking.expiresAt == nil)
            #expect(booking.userName == "Eve")
            let stored = try #require(try await store.booking(id: booking.id))
            #expect(stored.seats == [1, 3])
            #expect(stored.status == .confirmed)
            #expect(stored.userId == user.id)
            #expect(stored.showId == show.id)
        }
    }

    @Test(arguments: Engine.available)
    func aBookingTakesAllOfItsSeatsOrNone(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let show = try await store.makeShow(seats: 10)
            let (ann, bob) = (try await store.makeUser("Ann"), try await store.makeUser("Bob"))
            _ = try await store.book([2, 3], of: show, by: ann)
            await #expect(throws: MarqueeError.seatsTaken([3])) {
                try await store.book([3, 4, 5], of: show, by: bob)
            }
            #expect(try await store.show(id: show.id, now: Date())?.takenSeats == [2, 3])
            #expect(try await store.bookings(userId: bob.id).isEmpty)
        }
    }

    @Test(arguments: Engine.available)
    func seatsOutsideTheShowAndUnknownShowsAreRefused(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let show = try await store.makeShow(seats: 10)
            let user = try await store.makeUser("Fay")
            await #expect(throws: SeatSet.rangeError(totalSeats: 10)) { try await store.book([10, 11], of: show, by: user) }
            var ghost = show
            ghost.id = Identifier.make()
            await #expect(throws: MarqueeError.notFound("show")) { try await store.book([1], of: ghost, by: user) }
            #expect(try await store.bookings(userId: user.id).isEmpty)
        }
    }

    @Test(arguments: Engine.available)
    func aUsersBookingsComeNewestFirst(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let show = try await store.makeShow(seats: 10)
            let (gus, hal) = (try await store.makeUser("Gus"), try await store.makeUser("Hal"))
            let start = Date()
            let first = try await store.book([1], of: show, by: gus, now: start)
            let second = try await store.book([2], of: show, by: gus, now: start.addingTimeInterval(1))
            _ = try await store.book([3], of: show, by: hal, now: start.addingTimeInterval(2))
            #expect(try await store.bookings(userId: gus.id).map(\.id) == [second.id, first.id])
        }
    }

    @Test(arguments: Engine.available)
    func aLapsedHoldGivesItsSeatsWayAndExpires(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let show = try await store.makeShow(seats: 10)
            let (ivy, jon) = (try await store.makeUser("Ivy"), try await store.makeUser("Jon"))
            let now = Date()
            let hold = try await store.book([5, 6], of: show, by: ivy, holdUntil: now.addingTimeInterval(60), now: now)
            #expect(hold.status == .pending)
            await #expect(throws: MarqueeError.seatsTaken([6])) {
                try await store.book([6, 7], of: show, by: jon, now: now.addingTimeInterval(30))
            }
            // Past its expiry the hold frees its seats with no background job having run.
            let later = now.addingTimeInterval(61)
            #expect(try await store.show(id: show.id, now: later)?.takenSeats == [])
            let taken = try await store.book([6, 7], of: show, by: jon, now: later)
            #expect(taken.status == .confirmed)
            #expect(try await store.booking(id: hold.id)?.status == .expired)
            #expect(try await store.show(id: show.id, now: later)?.takenSeats == [6, 7])
        }
    }

    @Test(arguments: Engine.available)
    func theDatabaseItselfRefusesASecondClaimOnASeat(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let show = try await store.makeShow(seats: 10)
            _ = try await store.book([5], of: show, by: try await store.makeUser("Kim"))
            let other = try await store.book([6], of: show, by: try await store.makeUser("Lou"))
            // Whatever the code does, a second booking cannot write a claim on seat 5.
            await #expect(throws: (any Error).self) {
                try await fixture.execute(
                    "INSERT INTO seat_claims (show_id, seat, booking_id) VALUES ('\(show.id)', 5, '\(other.id)')")
            }
            try await fixture.execute(
                "INSERT INTO seat_claims (show_id, seat, booking_id) VALUES ('\(show.id)', 7, '\(other.id)')")
        }
    }

    /// The pool gauge's source: PostgreSQL's pool is watched; SQLite has none.
    @Test(arguments: Engine.available)
    func thePoolIsWatchedWhereThereIsOne(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            _ = try await store.makeShow(seats: 5)
            guard engine == .postgres else {
                #expect(store.poolStatistics == nil)
                return
            }
            let statistics = try #require(store.poolStatistics)
            #expect(statistics.open >= 1, "PostgresNIO's 'Creating new connection' was not counted")
            #expect(statistics.inUse == 0 && statistics.waiting == 0, "\(statistics)")
            #expect(statistics.idle == statistics.open)
            #expect(statistics.limit == 20)
        }
    }

    /// 200 attempts at once, on overlapping seats of one show.
    @Test(arguments: Engine.available)
    func concurrentBookingsNeverSellASeatTwice(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let show = try await store.makeShow(seats: 60)
            var users: [User] = []
            for index in 0..<20 { users.append(try await store.makeUser("U\(index)")) }
            var generator = SeededGenerator(seed: 42)
            let attempts: [(User, [Int])] = (0..<200).map { index in
                let count = Int.random(in: 1...4, using: &generator)
                let seats = Set((0..<count).map { _ in Int.random(in: 1...60, using: &generator) })
                return (users[index % users.count], Array(seats))
            }

            enum Outcome: Sendable {
                case booked(Booking)
                case refused(requested: [Int], taken: [Int])
            }
            let outcomes = try await withThrowingTaskGroup(of: Outcome.self) { group in
                for (user, seats) in attempts {
                    group.addTask {
                        do {
                            return .booked(try await store.book(seats, of: show, by: user))
                        } catch MarqueeError.seatsTaken(let taken) {
                            return .refused(requested: seats, taken: taken)
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }

            let booked = outcomes.compactMap { if case .booked(let b) = $0 { b } else { nil } }
            let refused = outcomes.compactMap { if case .refused(let r, let t) = $0 { (r, t) } else { nil } }
            #expect(booked.count + refused.count == 200)
            #expect(!booked.isEmpty && !refused.isEmpty, "the attempts must actually contend")

            // No seat is held by two active bookings.
            var stored: [Booking] = []
            for user in users { stored += try await store.bookings(userId: user.id) }
            let seats = stored.filter { $0.isActive(at: Date()) }.flatMap(\.seats)
            #expect(seats.count == Set(seats).count)

            // Every reported success is stored as reported, and nothing else is.
            #expect(Set(stored.map(\.id)) == Set(booked.map(\.id)))
            for booking in booked {
                #expect(stored.first { $0.id == booking.id }?.seats == booking.seats)
            }

            // Every failure names seats it asked for that really are taken.
            let taken = try #require(try await store.show(id: show.id, now: Date())).takenSeats
            #expect(taken == seats.sorted())
            for (requested, conflicting) in refused {
                #expect(!conflicting.isEmpty)
                #expect(Set(conflicting).isSubset(of: Set(requested)))
                #expect(Set(conflicting).isSubset(of: Set(taken)))
            }
        }
    }
}
