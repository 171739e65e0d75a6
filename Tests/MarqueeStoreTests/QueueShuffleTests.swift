import Foundation
import MarqueeStore
import Testing

/// The commit-and-reveal draw, as an auditor checks it, against values worked out by hand
/// with `sha256sum` (and Python's hashlib in scripts/blackbox/checks_queues.py).
@Suite struct QueueShuffleTests {
    @Test func theCommitmentIsTheHashOfTheSeedsText() {
        // printf %s abc | sha256sum
        #expect(QueueShuffle.commitment(to: "abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let seed = QueueShuffle.newSeed()
        #expect(seed.count == 64 && seed.allSatisfy { "0123456789abcdef".contains($0) })
        #expect(QueueShuffle.newSeed() != seed)
    }

    @Test func entriesAreRankedByTheHashOfSeedColonId() {
        // printf %s 'abc:x' | sha256sum -> 68a1…; 'abc:y' -> bbf5…; 'abc:z' -> 1329…
        #expect(QueueShuffle.key(seed: "abc", entryId: "x") == "68a170c1f5d6d10b5011496348a45eb9197565608a6bbf98d2948852bb4737b0")
        #expect(QueueShuffle.order(seed: "abc", entryIds: ["x", "y", "z"]) == ["z", "x", "y"])
    }

    @Test func anAuditPassesTheCommittedOrderAndNamesWhatIsWrongOtherwise() {
        let seed = QueueShuffle.newSeed()
        let ids = (0..<50).map { _ in UUID().uuidString.lowercased() }
        let order = QueueShuffle.order(seed: seed, entryIds: ids)
        let commitment = QueueShuffle.commitment(to: seed)
        #expect(QueueShuffle.audit(commitment: commitment, seed: seed, entries: order).isEmpty)
        #expect(QueueShuffle.audit(commitment: commitment, seed: seed, entries: ids.sorted()).count == 1)
        #expect(QueueShuffle.audit(commitment: commitment, seed: QueueShuffle.newSeed(), entries: order).count >= 1)
        var swapped = order
        swapped.swapAt(10, 11)
        #expect(QueueShuffle.audit(commitment: commitment, seed: seed, entries: swapped) == [
            "Rank 11 is \(order[11]); by SHA-256(seed:id) it would be \(order[10])."
        ])
    }
}
