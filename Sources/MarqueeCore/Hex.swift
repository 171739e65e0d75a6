import Foundation

extension Sequence<UInt8> {
    /// Lower-case hex, two digits a byte: digests, signatures and ETags.
    public var hexString: String { map { String(format: "%02x", $0) }.joined() }
}
