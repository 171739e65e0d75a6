import Foundation
import HTTPTypes
import MarqueeTestSupport
import Testing

/// Shows on a venue (API.md, "Seating plans"): the show's layout with its validator,
/// sections and blocked seats on the seat map, seat labels on bookings, and best available.
@Suite struct SeatingRoutesTests {
    /// Row A: 1 (accessible), 2 (companion), aisle, 3; row B: 4..7; a balcony row C: 8..9.
    static let plan = #"""
        {"version": 1,
         "categories": [{"key": "stalls", "label": "Stalls", "color": "#2f6fdf"},
                        {"key": "balcony", "label": "Balcony", "color": "#aa3300"}],
         "sections": [
          {"key": "stalls", "label": "Stalls", "rows": [
           {"label": "A", "seats": [
             {"n": 1, "label": "1", "category": "stalls", "accessible": true},
             {"n": 2, "label": "2", "category": "stalls", "companion": true},
             {"n": 3, "label": "3", "category": "stalls", "aisleBefore": true}]},
           {"label": "B", "seats": [
             {"n": 4, "label": "1", "category": "stalls"}, {"n": 5, "label": "2", "category": "stalls"},
             {"n": 6, "label": "3", "category": "stalls"}, {"n": 7, "label": "4", "category": "stalls"}]}]},
          {"key": "balcony", "label": "Balcony", "rows": [
           {"label": "C", "seats": [
             {"n": 8, "label": "1", "category": "balcony"}, {"n": 9, "label": "2", "category": "balcony"}]}]}]}
        """#

    /// A venue of `plan` and a show on it; returns the show's id.
    static func showOnVenue(_ api: API, admin: String) async throws -> (show: String, venue: String) {
        let venue = try await api.call(.post, "/api/venues", token: admin, json: #"{"name": "Hall", "layout": \#(plan)}"#)
        let venueId = try #require(venue["id"] as? String)
        let show = try await api.call(
            .post, "/api/shows", token: admin,
            json: #"{"name": "Seated", "startTime": "2031-05-01T19:30:00Z", "venueId": "\#(venueId)"}"#)
        #expect(show.status == 201)
        #expect(show["totalSeats"] as? Int == 9, "the seat count comes from the venue")
        #expect(show["venueId"] as? String == venueId)
        return (try #require(show["id"] as? String), venueId)
    }

    @Test(arguments: Engine.available)
    func aShowOnAVenueServesItsLayoutWithAValidatorAndCountsItsSections(engine: Engine) async throws {
        try await TestApp.run(engine) { api async throws in
            let admin = try await api.adminToken()
            let (show, venue) = try await Self.showOnVenue(api, admin: admin)

            let layout = try await api.call(.get, "/api/shows/\(show)/layout")
            #expect(layout.status == 200)
            #expect(layout.contentType?.hasPrefix("application/json") == true)
            #expect((layout["sections"] as? [[String: Any]])?.count == 2)
            let etag = try #require(layout.headers[.eTag])
            #expect(layout.headers[.cacheControl]?.contains("max-age") == true)
            let again = try await api.call(.get, "/api/shows/\(show)/layout", headers: [.ifNoneMatch: etag])
            #expect(again.status == 304)
            #expect(again.headers[.eTag] == etag)
            let other = try await api.call(.get, "/api/shows/\(show)/layout", headers: [.ifNoneMatch: "\"other\""])
            #expect(other.status == 200)
            let weak = try await api.call(.get, "/api/shows/\(show)/layout", headers: [.ifNoneMatch: "\"other\", W/\(etag)"])
            #expect(weak.status == 304, "If-None-Match compares weakly, in a list")

            let plain = try await api.createShow(seats: 5)
            #expect(try await api.call(.get, "/api/shows/\(plain)/layout").status == 404, "a show with no venue")
            #expect(try await api.call(.get, "/api/shows/\(UUID().uuidString)/layout").status == 404)
            #expect(try await api.call(.get, "/api/shows/\(plain)")["venueId"] is NSNull)
            #expect((try await api.call(.get, "/api/shows/\(plain)")["sections"] as? [Any])?.isEmpty == true)

            let (customer, _) = try await api.signup()
            _ = try await api.call(.post, "/api/bookings", token: customer, json: #"{"showId": "\#(show)", "seats": [4, 5]}"#)
            let blocked = try await api.call(
                .put, "/api/shows/\(show)/blocked-seats", token: admin, json: #"{"seats": [9, 8]}"#)
            #expect(blocked.status == 200)
            #expect(blocked["seats"] as? [Int] == [8, 9])
            let detail = try await api.call(.get, "/api/shows/\(show)")
            #expect(detail["venueId"] as? String == venue)
            #expect(detail["takenSeats"] as? [Int] == [4, 5])
            #expect(detail["blockedSeats"] as? [Int] == [8, 9])
            #expect(detail["availableSeats"] as? Int == 5)
            let sections = try #require(detail["sections"] as? [[String: Any]])
            #expect(sections.map { $0["key"] as? String } == ["stalls", "balcony"])
            #expect(sections.map { $0["totalSeats"] as? Int } == [7, 2])
            #expect(sections.map { $0["availableSeats"] as? Int } == [5, 0])
        }
    }

    @Test(arguments: Engine.available)
    func aShowsVenueIsCheckedAndItsSeatCountMustAgree(engine: Engine) async throws {
        try await TestApp.run(engine) { api async throws in
            let admin = try await api.adminToken()
            let (_, venue) = try await Self.showOnVenue(api, admin: admin)
            let unknown = try await api.call(
                .post, "/api/shows", token: admin,
                json: #"{"name": "X", "startTime": "2031-05-01T19:30:00Z", "venueId": "\#(UUID().uuidString)"}"#)
            #expect(unknown.status == 422 && unknown.errorFields == ["venueId"])
            let differs = try await api.call(
                .post, "/api/shows", token: admin,
                json: #"{"name": "X", "startTime": "2031-05-01T19:30:00Z", "venueId": "\#(venue)", "totalSeats": 10}"#)
            #expect(differs.status == 422 && differs.errorFields == ["totalSeats"])
            let agrees = try await api.call(
                .post, "/api/shows", token: admin,
                json: #"{"name": "X", "startTime": "2031-05-01T19:30:00Z", "venueId": "\#(venue)", "totalSeats": 9}"#)
            #expect(agrees.status == 201)
            let neither = try await api.call(
                .post, "/api/shows", token: admin, json: #"{"name": "X", "startTime": "2031-05-01T19:30:00Z"}"#)
            #expect(neither.status == 422 && neither.errorFields == ["totalSeats"])
        }
    }

    @Test(arguments: Engine.available)
    func bookingsNameTheirSeatsByThePlan(engine: Engine) async throws {
        try await TestApp.run(engine) { api async throws in
            let admin = try await api.adminToken()
            let (show, _) = try await Self.showOnVenue(api, admin: admin)
            let (customer, _) = try await api.signup()
            let booked = try await api.call(.post, "/api/bookings", token: customer, json: #"{"showId": "\#(show)", "seats": [8, 3]}"#)
            #expect(booked.status == 201)
            #expect(booked["seats"] as? [Int] == [3, 8])
            #expect(booked["seatLabels"] as? [String] == ["Stalls, Row A, Seat 3", "Balcony, Row C, Seat 1"])
            let id = try #require(booked["id"] as? String)
            #expect(try await api.call(.get, "/api/bookings/\(id)", token: customer)["seatLabels"] as? [String]
                == ["Stalls, Row A, Seat 3", "Balcony, Row C, Seat 1"])
            let mine = try await api.call(.get, "/api/bookings", token: customer)
            #expect((mine["items"] as? [[String: Any]])?.first?["seatLabels"] as? [String]
                == ["Stalls, Row A, Seat 3", "Balcony, Row C, Seat 1"])
            let cancelled = try await api.call(.post, "/api/bookings/\(id)/cancel", token: customer)
            #expect(cancelled["seatLabels"] as? [String] == ["Stalls, Row A, Seat 3", "Balcony, Row C, Seat 1"])

            let plain = try await api.createShow(seats: 20)
            let numbered = try await api.call(.post, "/api/bookings", token: customer, json: #"{"showId": "\#(plain)", "seats": [12]}"#)
            #expect(numbered["seatLabels"] as? [String] == ["Seat 12"])
        }
    }

    @Test(arguments: Engine.available)
    func bestAvailablePicksAdjacentSeatsAndSaysTheLargestBlockWhenNoneFits(engine: Engine) async throws {
        try await TestApp.run(engine) { api async throws in
            let admin = try await api.adminToken()
            let (show, _) = try await Self.showOnVenue(api, admin: admin)
            let (customer, _) = try await api.signup()
            func best(_ body: String, key: String? = nil) async throws -> Answer {
                try await api.call(
                    .post, "/api/bookings", token: customer, json: #"{"showId": "\#(show)", \#(body)}"#,
                    headers: key.map { [HTTPField.Name("Idempotency-Key")!: $0] } ?? [:])
            }
            // Without coordinates the frontmost row wins, then the middle of the row: the
            // balcony's only row is a front row too, and row A's pair is accessible.
            let pair = try await best(#""quantity": 2"#, key: "pair-1")
            #expect(pair.status == 201)
            #expect(pair["seats"] as? [Int] == [8, 9])
            #expect(pair["seatLabels"] as? [String] == ["Balcony, Row C, Seat 1", "Balcony, Row C, Seat 2"])
            let replay = try await best(#""quantity": 2"#, key: "pair-1")
            #expect(replay.status == 201 && replay["seats"] as? [Int] == [8, 9], "the replay returns the same seats")

            // Row B's middle pair would strand 4 and 7: the lower of the two ends is picked.
            let stalls = try await best(#""quantity": 2, "section": "stalls", "hold": true"#)
            #expect(stalls.status == 201 && stalls["seats"] as? [Int] == [4, 5] && stalls["status"] as? String == "PENDING")
            let accessible = try await best(#""quantity": 2, "accessible": true"#)
            #expect(accessible["seats"] as? [Int] == [1, 2])
            #expect(try await best(#""quantity": 2"#)["seats"] as? [Int] == [6, 7])

            // Left: 3, alone past the aisle.
            let none = try await best(#""quantity": 2"#)
            #expect(none.status == 409)
            #expect(none["type"] as? String == "/problems/no-adjacent-seats")
            #expect(none["largestBlock"] as? Int == 1)
            let noneInBalcony = try await best(#""quantity": 1, "category": "balcony""#)
            #expect(noneInBalcony.status == 409 && noneInBalcony["largestBlock"] as? Int == 0)

            #expect(try await best(#""quantity": 2, "seats": [1, 2]"#).errorFields == ["quantity"])
            #expect(try await best(#""hold": true"#).errorFields == ["seats"])
            #expect(try await best(#""quantity": 0"#).errorFields == ["quantity"])
            #expect(try await best(#""quantity": 1, "section": "pit""#).errorFields == ["section"])
            #expect(try await best(#""quantity": 1, "category": "vip""#).errorFields == ["category"])
            let plain = try await api.createShow(seats: 5)
            let noPlan = try await api.call(
                .post, "/api/bookings", token: customer, json: #"{"showId": "\#(plain)", "quantity": 1}"#)
            #expect(noPlan.status == 422 && noPlan.errorFields == ["quantity"])
            let unknown = try await api.call(
                .post, "/api/bookings", token: customer, json: #"{"showId": "\#(UUID().uuidString)", "quantity": 1}"#)
            #expect(unknown.status == 404)
        }
    }

    @Test(arguments: Engine.available)
    func blockedSeatsAreForAdminsAndRefuseTakenOrMissingSeats(engine: Engine) async throws {
        try await TestApp.run(engine) { api async throws in
            let admin = try await api.adminToken()
            let (show, _) = try await Self.showOnVenue(api, admin: admin)
            let (customer, _) = try await api.signup()
            let path = "/api/shows/\(show)/blocked-seats"
            #expect(try await api.call(.put, path, json: #"{"seats": [1]}"#).status == 401)
            #expect(try await api.call(.put, path, token: customer, json: #"{"seats": [1]}"#).status == 403)
            _ = try await api.call(.post, "/api/bookings", token: customer, json: #"{"showId": "\#(show)", "seats": [4]}"#)
            let taken = try await api.call(.put, path, token: admin, json: #"{"seats": [3, 4]}"#)
            #expect(taken.status == 409 && taken["conflictingSeats"] as? [Int] == [4])
            #expect(try await api.call(.put, path, token: admin, json: #"{"seats": [10]}"#).status == 422)
            #expect(try await api.call(.put, path, token: admin, json: #"{"seats": [0]}"#).status == 422)
            #expect(try await api.call(.put, "/api/shows/\(UUID().uuidString)/blocked-seats", token: admin,
                                       json: #"{"seats": []}"#).status == 404)
            #expect(try await api.call(.put, path, token: admin, json: #"{"seats": [3]}"#).status == 200)
            let refused = try await api.call(.post, "/api/bookings", token: customer, json: #"{"showId": "\#(show)", "seats": [3]}"#)
            #expect(refused.status == 409 && refused["conflictingSeats"] as? [Int] == [3])
            #expect(try await api.call(.put, path, token: admin, json: #"{"seats": []}"#)["seats"] as? [Int] == [])
            let free = try await api.call(.post, "/api/bookings", token: customer, json: #"{"showId": "\#(show)", "seats": [3]}"#)
            #expect(free.status == 201)
        }
    }
}
