import MarqueeAPI
import MarqueeCore

extension APIHandlers {
    func listShows(_ input: Operations.ListShows.Input) async throws -> Operations.ListShows.Output {
        let query = try ShowQuery(limit: input.query.limit, cursor: input.query.cursor, from: input.query.from)
        let page = try await store.shows(query, now: clock())
        return .ok(.init(body: .json(ShowPageBody(items: page.items.map(Components.Schemas.Show.init),
                                                  nextCursor: page.next?.encoded))))
    }

    func getShow(_ input: Operations.GetShow.Input) async throws -> Operations.GetShow.Output {
        guard let detail = try await store.show(id: input.path.id, now: clock()) else {
            throw MarqueeError.notFound("show")
        }
        return .ok(.init(body: .json(.init(value1: .init(detail.show), value2: .init(takenSeats: detail.takenSeats)))))
    }

    func createShow(_ input: Operations.CreateShow.Input) async throws -> Operations.CreateShow.Output {
        let user = try await authenticatedUser()
        guard user.role == .admin else { throw MarqueeError.forbidden }
        guard case .json(let body) = input.body else { throw MarqueeError.validation([]) }
        let show = try NewShow(name: body.name, startTime: body.startTime, totalSeats: body.totalSeats)
        let created = try await store.createShow(show, now: clock())
        desk.showChanged(created.id)
        return .created(.init(body: .json(.init(created))))
    }
}
