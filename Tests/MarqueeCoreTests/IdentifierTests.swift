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
            let characters = Array(id)
            #expect(characters[14] == "4", "version 4: \(id)")
            #expect("89ab".contains(characters[19]), "RFC 4122 variant: \(id)")
        }
    }
}
