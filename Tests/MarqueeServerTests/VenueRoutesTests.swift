import Foundation
import MarqueeTestSupport
import Testing

/// Venues (API.md, "Seating plans"): admins create them from a plan that is validated rule
/// by rule; anyone reads one. (A plan far larger than any other body is a black-box check,
/// scripts/blackbox/checks_venues.py, through the real server's HTTP stack.)
@Suite struct VenueRoutesTests {
    static let plan = #"""
        {"version": 1, "stage": {"x": 1, "y": -2, "label": "Stage"},
         "categories": [{"key": "stalls", "label": "Stalls", "color": "#2F6FDF"}],
         "sections": [{"key": "stalls", "label": "Stalls", "rows": [
           {"label": "A", "seats": [
             {"n": 1, "label": "1", "x": 0, "y": 0, "category": "stalls", "accessible": true},
             {"n": 2, "label": "2", "x": 1, "y": 0, "category": "stalls", "companion": true},
             {"n": 3, "label": "3", "x": 3, "y": 0, "aisleBefore": true}]},
           {"label": "B", "seats": [{"n": 4, "label": "1", "x": 0, "y": 1}]}]}]}
        """#

    @Test(arguments: Engine.available)
    func anAdminCreatesAVenueAndAnyoneReadsIt(engine: Engine) async throws {
        try await TestApp.run(engine) { api async throws in
            let admin = try await api.adminToken()
            let created = try await api.call(
                .post, "/api/venues", token: admin, json: #"{"name": " Old Vic ", "layout": \#(Self.plan)}"#)
            #expect(created.status == 201)
            let id = try #require(created["id"] as? String)
            #expect(created["name"] as? String == "Old Vic")
            #expect(created["totalSeats"] as? Int == 4)
            #expect((created["createdAt"] as? String)?.hasSuffix("Z") == true)
            let layout = try #require(created["layout"] as? [String: Any])
            let sections = try #require(layout["sections"] as? [[String: Any]])
            let rows = try #require(sections.first?["rows"] as? [[String: Any]])
            let seats = try #require(rows.first?["seats"] as? [[String: Any]])
            #expect(seats[2]["aisleBefore"] as? Bool == true)
            #expect(seats[0]["accessible"] as? Bool == true)
            #expect(seats[2]["accessible"] == nil, "members not set stay out")

            let read = try await api.call(.get, "/api/venues/\(id)")
            #expect(read.status == 200)
            #expect(read.contentType?.hasPrefix("application/json") == true)
            #expect(read["name"] as? String == "Old Vic")
            #expect(((read["layout"] as? [String: Any])?["stage"] as? [String: Any])?["label"] as? String == "Stage")

            _ = try await api.call(.post, "/api/venues", token: admin, json: #"{"name": "Newer", "layout": \#(Self.plan)}"#)
            let list = try await api.call(.get, "/api/venues", token: admin)
            let items = try #require(list["items"] as? [[String: Any]])
            #expect(items.map { $0["name"] as? String } == ["Newer", "Old Vic"], "newest first")
            #expect(items.allSatisfy { $0["layout"] == nil }, "summaries carry no plan")
        }
    }

    @Test(arguments: Engine.available)
    func venuesAreForAdminsToMakeAndAnUnknownOneIs404(engine: Engine) async throws {
        try await TestApp.run(engine) { api async throws in
            let (customer, _) = try await api.signup()
            let body = #"{"name": "Mine", "layout": \#(Self.plan)}"#
            #expect(try await api.call(.post, "/api/venues", json: body).status == 401)
            #expect(try await api.call(.post, "/api/venues", token: customer, json: body).status == 403)
            #expect(try await api.call(.get, "/api/venues", token: customer).status == 403)
            #expect(try await api.call(.get, "/api/venues").status == 401)
            #expect(try await api.call(.get, "/api/venues/\(UUID().uuidString)").status == 404)
            #expect(try await api.call(.get, "/api/venues/not-an-id").status == 404)
        }
    }

    @Test(arguments: Engine.available)
    func aBrokenPlanIsRefusedWithEveryProblemOnItsMemberPath(engine: Engine) async throws {
        try await TestApp.run(engine) { api async throws in
            let admin = try await api.adminToken()
            let broken = Self.plan.replacingOccurrences(of: "#2F6FDF", with: "blue")
                .replacingOccurrences(of: #"{"n": 4, "label": "1""#, with: #"{"n": 3, "label": "1""#)
            let answer = try await api.call(.post, "/api/venues", token: admin, json: #"{"name": "", "layout": \#(broken)}"#)
            #expect(answer.status == 422)
            #expect(
                Set(answer.errorFields) == [
                    "name", "layout.categories[0].color", "layout.sections[0].rows[1].seats[0].n",
                ])
            let missing = Self.plan.replacingOccurrences(of: #"{"n": 4, "label": "1", "#, with: #"{"label": "1", "#)
            let noNumber = try await api.call(.post, "/api/venues", token: admin, json: #"{"name": "V", "layout": \#(missing)}"#)
            #expect(noNumber.status == 422)
            #expect(noNumber.errorFields == ["layout.sections[0].rows[1].seats[0].n"])
            #expect((try await api.call(.get, "/api/venues", token: admin)["items"] as? [Any])?.isEmpty == true)
        }
    }
}
