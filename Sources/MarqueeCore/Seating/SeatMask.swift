/// A set of seat numbers `1...count` as one flag per seat: looking a seat up is an index, not
/// a hash, which matters when best available asks about every seat of a large hall. Its
/// members are inlinable, so that the server's loops over it are compiled for their types.
public struct SeatMask: Sendable, Equatable {
    @usableFromInline var flags: [Bool]

    /// No seat of a show of `count` seats.
    @inlinable public init(count: Int) {
        flags = [Bool](repeating: false, count: max(count, 0) + 1)
    }

    @inlinable public init(count: Int, seats: [Int]) {
        self.init(count: count)
        formUnion(seats)
    }

    @inlinable public init(count: Int, seats: Set<Int>) {
        self.init(count: count)
        for seat in seats { insert(seat) }
    }

    @inlinable public func contains(_ seat: Int) -> Bool {
        seat >= 0 && seat < flags.count && flags[seat]
    }

    /// Seats outside `1...count` are ignored.
    @inlinable public mutating func insert(_ seat: Int) {
        if seat >= 1 && seat < flags.count { flags[seat] = true }
    }

    @inlinable public mutating func formUnion(_ seats: [Int]) {
        for seat in seats { insert(seat) }
    }

    @inlinable public mutating func formUnion(_ seats: Set<Int>) {
        for seat in seats { insert(seat) }
    }

    /// Every seat of `other` too (a mask of the same show).
    @inlinable public mutating func formUnion(_ other: SeatMask) {
        let count = min(flags.count, other.flags.count)
        flags.withUnsafeMutableBufferPointer { mine in
            other.flags.withUnsafeBufferPointer { theirs in
                for i in 0..<count where theirs[i] { mine[i] = true }
            }
        }
    }

    /// Takes `seat` out.
    @inlinable public mutating func remove(_ seat: Int) {
        if seat >= 0 && seat < flags.count { flags[seat] = false }
    }

    /// The seats in the mask, ascending.
    public var seats: [Int] { flags.indices.filter { flags[$0] } }
}
