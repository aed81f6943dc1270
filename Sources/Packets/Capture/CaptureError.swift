/// A capture that cannot be read further: the reader stops and says where, instead of crashing.
public struct CaptureError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Byte offset in the file where the problem was found.
    public let offset: Int
    public let reason: String

    public init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    public var description: String { "offset \(offset): \(reason)" }
}
