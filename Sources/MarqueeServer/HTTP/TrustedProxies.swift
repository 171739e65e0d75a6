#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The proxies whose `X-Forwarded-For` is believed (`MARQUEE_TRUSTED_PROXIES`, CIDRs such as
/// `10.0.0.0/8, ::1/128`). Behind nginx every connection comes from nginx's address; with it
/// trusted, login throttling and the access log see the client's address instead. A header
/// from anyone else is ignored: a client cannot choose the address it is counted under.
public struct TrustedProxies: Sendable, Equatable {
    /// An address range: the network's bytes (4 or 16) and the prefix length.
    struct Range: Sendable, Equatable {
        var network: [UInt8]
        var prefix: Int

        func contains(_ address: [UInt8]) -> Bool {
            guard address.count == network.count else { return false }
            var left = prefix
            for (a, n) in zip(address, network) {
                guard left > 0 else { return true }
                let bits = min(8, left)
                let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
                if a & mask != n & mask { return false }
                left -= bits
            }
            return true
        }
    }

    var ranges: [Range] = []

    public init() {}

    /// Parses a comma-separated list of CIDRs (a bare address is a range of one).
    public init(parsing list: String) throws {
        for item in list.split(separator: ",").map({ $0.trimmingSpaces }) where !item.isEmpty {
            let parts = item.split(separator: "/", maxSplits: 1).map(String.init)
            guard let network = Self.bytes(of: parts[0]) else {
                throw ConfigurationError("MARQUEE_TRUSTED_PROXIES: \(item) is not an IP address or CIDR.")
            }
            let prefix = parts.count == 2 ? Int(parts[1]) : network.count * 8
            guard let prefix, (0...network.count * 8).contains(prefix) else {
                throw ConfigurationError("MARQUEE_TRUSTED_PROXIES: \(item) has a bad prefix length.")
            }
            ranges.append(Range(network: network, prefix: prefix))
        }
    }

    public var isEmpty: Bool { ranges.isEmpty }

    func trusts(_ address: String) -> Bool {
        guard let bytes = Self.bytes(of: address) else { return false }
        return ranges.contains { $0.contains(bytes) }
    }

    /// The address to count a request under: the peer, unless the peer is a trusted proxy;
    /// then the nearest address in `X-Forwarded-For` (read from the right, where the proxies
    /// closest to Marquee append) that is not itself a trusted proxy.
    func clientAddress(peer: String?, forwardedFor: [String]) -> String? {
        guard let peer, !ranges.isEmpty, trusts(peer) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingSpaces }
        var nearest = peer
        for hop in hops.reversed() {
            guard Self.bytes(of: hop) != nil else { return nearest }  // a garbled hop: stop at what is known
            nearest = hop
            if !trusts(hop) { return hop }
        }
        return nearest
    }

    /// The address's bytes: 4 for IPv4, 16 for IPv6; nil when it is neither.
    static func bytes(of text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs (Foundation's trimming goes through
    /// NSString on Linux).
    fileprivate var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
