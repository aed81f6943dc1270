import Facts
import Markdown

/// A page after `parse`: facts-independent, parsed once and shared by every edition.
public struct ParsedPage: Sendable {
    public var source: SourcePage
    public var document: Document

    public init(source: SourcePage, document: Document) {
        self.source = source
        self.document = document
    }
}
