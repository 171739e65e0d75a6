import Foundation
import HTTPTypes
import MarqueeTestSupport
import Testing

@Suite("Show lists and seat maps are cached, and never stale for the one who changed them")
struct ReadCacheRoutesTests {
    @Test("a repeat reader with the ETag gets 304, and the answer may sit in a CDN briefly", arguments: Engine.available)
    func conditionalReads(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            let show = try await api.createShow(seats: 10)
            for path in ["/api/shows/\(show)", "/api/shows?limit=5"] {
                let first = try await api.page(path)
                let etag = try #require(first.headers[.eTag], "\(path)")
                #expect(first.headers[.cacheControl] == "public, max-age=0, s-maxage=1")
                let again = try await api.page(path, headers: [.ifNoneMatch: etag])
                #expect(again.status == 304, "\(path)")
                #expect(again.body.isEmpty)
            }
        }
    }

    @Test("a booking, a cancel and a new show are seen by the next read at once", arguments: Engine.available)
    func ownWritesAreNeverStale(engine: Engine) async throws {
        try await TestApp.run(engine, configure: { $0.readCacheTTL = .seconds(60) }) { api in
            let show = try await api.createShow(seats: 10)
            let (token, _) = try await api.signup()
            _ = try await api.call(.get, "/api/shows/\(show)")  // cached, empty
            _ = try await api.call(.get, "/api/shows")
            let booking = try await api.call(.post, "/api/bookings", token: token, json: #"{"showId":"\#(show)","seats":[3]}"#)
            #expect(booking.status == 201)
            #expect(try await api.call(.get, "/api/shows/\(show)")["takenSeats"] as? [Int] == [3])
            let listed = try await api.call(.get, "/api/shows")["items"] as? [[String: Any]]
            #expect(listed?.first?["availableSeats"] as? Int == 9)
            let id = try #require(booking["id"] as? String)
            #expect(try await api.call(.post, "/api/bookings/\(id)/cancel", token: token).status == 200)
            #expect(try await api.call(.get, "/api/shows/\(show)")["takenSeats"] as? [Int] == [])
            _ = try await api.createShow(seats: 5, name: "Macbeth")
            let names = (try await api.call(.get, "/api/shows")["items"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
            #expect(names?.contains("Macbeth") == true)
        }
    }

    @Test("a missing show is not cached as if it existed, and errors pass through", arguments: Engine.available)
    func errorsAreNotCached(engine: Engine) async throws {
        try await TestApp.run(engine) { api in
            let missing = UUID().uuidString.lowercased()
            let first = try await api.call(.get, "/api/shows/\(missing)")
            let second = try await api.call(.get, "/api/shows/\(missing)")
            let invalid = try await api.call(.get, "/api/shows?limit=0")
            #expect(first.status == 404 && second.status == 404)
            #expect(second.contentType == "application/problem+json")
            #expect(invalid.status == 422)
        }
    }
}
