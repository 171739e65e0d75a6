import MarqueeAPI
import MarqueeCore
import MarqueeStore

extension APIHandlers {
    func signup(_ input: Operations.Signup.Input) async throws -> Operations.Signup.Output {
        guard case .json(let body) = input.body else { throw MarqueeError.validation([]) }
        let (name, email) = try SignupRules.validate(name: body.name, email: body.email, password: body.password)
        let hash = try await passwords.hash(body.password)
        // The role is always the server's: a body cannot make itself an admin.
        let user = try await store.createUser(
            NewUser(name: name, email: email, passwordHash: hash, role: .customer, createdAt: clock()))
        let token = try await tokens.issue(for: user, now: clock())
        return .created(.init(body: .json(.init(token: token, user: .init(user)))))
    }

    func login(_ input: Operations.Login.Input) async throws -> Operations.Login.Output {
        guard case .json(let body) = input.body else { throw MarqueeError.validation([]) }
        try LoginRules.validate(email: body.email, password: body.password)
        let address = RequestScope.current.clientAddress
        try await throttle.check(email: body.email, address: address, now: clock())
        let credentials = try await store.credentials(email: body.email)
        // Unknown email and wrong password take the same time and get the same answer.
        guard try await passwords.verify(body.password, against: credentials?.passwordHash),
            let user = credentials?.user
        else {
            await throttle.recordFailure(email: body.email, address: address, now: clock())
            metrics.loginFailed()
            throw MarqueeError.unauthenticated("The email or password is not right.")
        }
        let token = try await tokens.issue(for: user, sessionEpoch: credentials?.sessionEpoch ?? 0, now: clock())
        return .ok(.init(body: .json(.init(token: token, user: .init(user)))))
    }

    func me(_ input: Operations.Me.Input) async throws -> Operations.Me.Output {
        .ok(.init(body: .json(.init(try await authenticatedUser()))))
    }

    /// Ends this token's session: recorded first, so that every instance learns it, then
    /// applied here, so that this instance refuses the token from the next request on.
    func logout(_ input: Operations.Logout.Input) async throws -> Operations.Logout.Output {
        let (user, token) = try await authenticatedSession()
        let now = clock()
        try await store.revokeToken(digest: token.digest, userId: user.id, expiresAt: token.expires, now: now)
        revocations.apply([.init(id: 0, userId: user.id, target: .token(digest: token.digest), expiresAt: token.expires)])
        return .noContent(.init())
    }

    /// Ends every session of the account: its epoch moves on, and tokens that carry an older
    /// one are refused wherever they were issued. A login after this gets the new epoch.
    func logoutAll(_ input: Operations.LogoutAll.Input) async throws -> Operations.LogoutAll.Output {
        let (user, _) = try await authenticatedSession()
        let now = clock()
        let keepUntil = now.addingTimeInterval(tokens.tokenLifetime.seconds)
        guard let epoch = try await store.revokeSessions(userId: user.id, keepUntil: keepUntil, now: now) else {
            throw MarqueeError.unauthenticated("The token's account no longer exists.")
        }
        revocations.apply([.init(id: 0, userId: user.id, target: .epochsBefore(epoch), expiresAt: keepUntil)])
        return .noContent(.init())
    }
}
