import Mustache

/// Rendered HTML as UTF-8 in a template context (a page body): it goes from the markdown
/// renderer into the page without becoming a String, a UTF-8 check and a copy of every
/// page. Mustache, when it renders the context itself, writes it as that String.
public struct HTMLBytes: Sendable, MustacheCustomRenderable {
    public var bytes: [UInt8]

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var renderText: String { String(decoding: bytes, as: UTF8.self) }
    public var isNull: Bool { false }
}
