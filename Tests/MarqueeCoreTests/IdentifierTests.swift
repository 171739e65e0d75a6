import Foundation
import MarqueeCore
import Testing

struct IdentifierTests {
    @Test func newIdsAreLowercaseVersion4UUIDsThatDoNotRepeat() {
        let ids = (0..<2_000).map { _ in Identifier.make() }
        #expect(Set(ids).count == ids.count)
        for id in ids {
            #expect(Identifier.isWellFormed(id))
            #expect(id == id.lowercased())
            #expect(UUID(uuidString: id)?.uuidString.lowercased() == id, "Foundation reads the same id: \(id)")
            let characters = Array(id)
            #expect(characters[14] == "4", "version 4: \(id)")
            #expect("89ab".contains(characters[19]), "RFC 4122 variant: \(id)")
        }
    }

    /// The parser and the spelling are written out (Foundation's go through sscanf and an
    /// uppercase copy on Linux); Foundation is the reference they must agree with.
    @Test func readsAnyUUIDAsFoundationDoes() {
        for _ in 0..<2_000 {
            let uuid = UUID()
            #expect(Identifier.uuid(uuid.uuidString) == uuid)
            #expect(Identifier.uuid(uuid.uuidString.lowercased()) == uuid)
            #expect(Identifier.text(uuid) == uuid.uuidString.lowercased())
        }
        #expect(Identifier.uuid("00000000-0000-0000-0000-000000000000") == UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)))
        #expect(Identifier.uuid("FFFFFFFF-ffff-FFFF-ffff-FFFFFFFFFFFF")?.uuidString == "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF")
    }

    @Test func refusesAnythingElse() {
        let good = "0f8fad5b-d9cb-469f-a165-70867728950e"
        #expect(Identifier.isWellFormed(good))
        for text in [
            "", "0f8fad5b", String(good.dropLast()), good + "0", good + " ", " " + good,
            "0f8fad5bd9cb-469f-a165-70867728950e0",  // a dash moved
            "0f8fad5b-d9cb-469f-a16570867728950e-",
            "0f8fad5b_d9cb-469f-a165-70867728950e",
            "0g8fad5b-d9cb-469f-a165-70867728950e", "0F8FAD5B-D9CB-469F-A165-70867728950G",  // not hex
            "0f8fad5b-d9cb-469f-a165-70867728950:", "0f8fad5b-d9cb-469f-a165-70867728950@",  // next to hex
            "0f8fad5b-d9cb-469f-a165-70867728950é",  // 36 characters, 37 bytes
            "0f8fad5b-d9cb-469f-a165-7086772895é",  // 36 bytes, not ASCII
            "{0f8fad5b-d9cb-469f-a165-70867728950e}", "0f8fad5bd9cb469fa16570867728950e",
            "+f8fad5b-d9cb-469f-a165-70867728950e", "0f8fad5b-+9cb-469f-a165-70867728950e",
        ] {
            #expect(Identifier.uuid(text) == nil, "\(text)")
            #expect(!Identifier.isWellFormed(text), "\(text)")
        }
    }
}
