import Mustache

/// Mustache parse errors in words, and where an unclosed section really starts: the parser
/// only notices it at the end of the file, which is not where the author must look.
enum TemplateErrorText {
    static func describe(_ error: any Error) -> String {
        guard let error = error as? MustacheTemplate.Error else { return "\(error)" }
        switch error {
        case .sectionCloseNameIncorrect: return "this {{/…}} does not close the section opened last"
        case .unfinishedName: return "unfinished tag (a {{ without its }})"
        case .expectedSectionEnd: return "section never closed (add its {{/…}})"
        case .invalidSetDelimiter: return "bad set-delimiter tag {{=… …=}}"
        case .transformAppliedToInheritanceSection: return "a transform cannot apply to an inheritance section"
        case .illegalTokenInsideInheritSection: return "only {{$block}} sections may appear inside {{<partial}}"
        case .textInsideInheritSection: return "only {{$block}} sections may appear inside {{<partial}}"
        case .invalidConfigVariableSyntax: return "bad config tag {{% … }}"
        case .unrecognisedConfigVariable: return "unknown config tag {{% … }}"
        }
    }

    /// Line and column (1-based) of the innermost section tag (`{{#x}}`, `{{^x}}`, `{{$x}}`,
    /// `{{<x}}`) left open at the end of `text`, reading the default delimiters only.
    static func unclosedSection(in text: String) -> (line: Int, column: Int, name: String)? {
        var open: [(line: Int, column: Int, name: String)] = []
        var line = 1, column = 1
        var index = text.startIndex
        while index < text.endIndex {
            if text[index...].hasPrefix("{{"), let close = text[index...].range(of: "}}") {
                let tag = text[text.index(index, offsetBy: 2)..<close.lowerBound]
                let name = tag.dropFirst().trimmingCharacters(in: .whitespaces)
                switch tag.first {
                case "#", "^", "$", "<": open.append((line, column, name))
                case "/": if let last = open.lastIndex(where: { $0.name == name }) { open.removeSubrange(last...) }
                default: break
                }
                for character in text[index..<close.upperBound] {
                    if character == "\n" { line += 1; column = 1 } else { column += 1 }
                }
                index = close.upperBound
                continue
            }
            if text[index] == "\n" { line += 1; column = 1 } else { column += 1 }
            index = text.index(after: index)
        }
        return open.last
    }
}
