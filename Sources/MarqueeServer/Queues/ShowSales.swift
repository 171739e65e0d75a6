import Foundation
import MarqueeCore
import MarqueeStore
import NIOConcurrencyHelpers

/// Each show's sale terms (its on-sale time, whether it sells through a queue), read once:
/// they never change after the show is made, so a booking checks them without a query.
final class ShowSales: Sendable {
    private let known = NIOLockedValueBox<[String: SaleTerms]>([:])
    let store: any BookingStore

    init(store: any BookingStore) {
        self.store = store
    }

    /// The show's terms; nil for an unknown show (not kept, so a show made later is found).
    func terms(showId: String) async throws -> SaleTerms? {
        if let terms = known.withLockedValue({ $0[showId] }) { return terms }
        guard let terms = try await store.saleTerms(showId: showId) else { return nil }
        remember(terms, showId: showId)
        return terms
    }

    func remember(_ terms: SaleTerms, showId: String) {
        known.withLockedValue { $0[showId] = terms }
    }
}
