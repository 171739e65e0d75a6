import Testing

@testable import MarqueeServer

/// `X-Forwarded-For` names the client only when the connection comes from a trusted proxy.
@Suite struct TrustedProxiesTests {
    @Test func cidrsOfBothFamiliesAreParsedAndMatched() throws {
        let proxies = try TrustedProxies(parsing: "10.0.0.0/8, 192.168.1.7 ,::1/128,fd00::/8")
        #expect(proxies.trusts("10.200.3.4"))
        #expect(!proxies.trusts("11.0.0.1"))
        #expect(proxies.trusts("192.168.1.7"))
        #expect(!proxies.trusts("192.168.1.8"), "a bare address is a range of one")
        #expect(proxies.trusts("::1"))
        #expect(proxies.trusts("fd12:3456::1"))
        #expect(!proxies.trusts("fe80::1"))
        #expect(!proxies.trusts("not-an-address"))
        #expect(try TrustedProxies(parsing: "").isEmpty)
        for bad in ["10.0.0.0/33", "::/129", "example.com", "10.0.0.0/x"] {
            #expect(throws: ConfigurationError.self, "\(bad)") { try TrustedProxies(parsing: bad) }
        }
    }

    @Test func theHeaderIsBelievedOnlyFromATrustedPeer() throws {
        let proxies = try TrustedProxies(parsing: "127.0.0.1/32, 10.0.0.0/8")
        // From a proxy: the nearest hop that is not itself a proxy.
        #expect(proxies.clientAddress(peer: "127.0.0.1", forwardedFor: ["203.0.113.9"]) == "203.0.113.9")
        #expect(
            proxies.clientAddress(peer: "127.0.0.1", forwardedFor: ["6.6.6.6, 203.0.113.9", "10.1.1.1"]) == "203.0.113.9",
            "a client's forged hop on the left is never reached")
        #expect(proxies.clientAddress(peer: "127.0.0.1", forwardedFor: []) == "127.0.0.1")
        #expect(proxies.clientAddress(peer: "127.0.0.1", forwardedFor: ["garbage, 10.2.2.2"]) == "10.2.2.2")
        // From anyone else: the peer, whatever the header says.
        #expect(proxies.clientAddress(peer: "198.51.100.4", forwardedFor: ["203.0.113.9"]) == "198.51.100.4")
        #expect(TrustedProxies().clientAddress(peer: "127.0.0.1", forwardedFor: ["203.0.113.9"]) == "127.0.0.1")
    }
}
