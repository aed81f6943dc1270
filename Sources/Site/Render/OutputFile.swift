import LabgenCore
import Foundation
import Markdown
import Mustache

/// A file of the generated site: a path relative to the site root and its bytes.
public struct OutputFile: Sendable, Equatable {
    public var path: String
    public var contents: Data

    public init(path: String, contents: Data) {
        self.path = path
        self.contents = contents
    }
}
