import Foundation
import Logging
import MarqueeCore
import PostgresNIO

/// A booking's later life: confirm, cancel and expire, each under its show's lock
/// (SQL/postgres/functions/marquee_transition.sql and marquee_expire_holds.sql).
extension PostgresStore {
    public func transition(bookingId: String, from: BookingStatus, to: BookingStatus, now: Date) async throws -> Bool {
        guard let id = Identifier.uuid(bookingId) else { return false }
        for try await moved in try await client.query(
            "SELECT marquee_transition(\(id), \(from.rawValue), \(to.rawValue), \(now))", logger: logger
        ).decode(Bool.self) {
            return moved
        }
        return false
    }

    public func expireHolds(now: Date, limit: Int) async throws -> Int {
        for try await count in try await client.query(
            "SELECT marquee_expire_holds(\(now), \(Int32(limit)))", logger: logger
        ).decode(Int32.self) {
            return Int(count)
        }
        return 0
    }
}
