/// An author-defined parameter (`vars:` in course.yaml): its type, which every value must
/// match, and an optional default that an attendee's facts file may override.
public struct VarDeclaration: Sendable, Equatable {
    public var type: VarType
    public var defaultValue: VarValue?
    /// Free text for the author; never rendered.
    public var description: String?

    public init(type: VarType, defaultValue: VarValue? = nil, description: String? = nil) {
        self.type = type
        self.defaultValue = defaultValue
        self.description = description
    }
}

/// What a parameter may hold; enough to refuse a typo before it reaches a page.
public enum VarType: String, CaseIterable, Sendable {
    case string, url, integer, port, boolean, ip, cidr, mac

    /// The type of a bare default (`repo: https://…` in course.yaml).
    public static func inferred(from value: VarValue) -> VarType {
        switch value {
        case .string: .string
        case .integer: .integer
        case .boolean: .boolean
        }
    }

    /// Why `value` is not of this type, or nil when it is.
    public func problem(with value: VarValue) -> String? {
        switch (self, value) {
        case (.string, .string(let s)):
            return s.contains(where: \.isNewline) ? "a string on one line, found a line break" : nil
        case (.url, .string(let s)):
            let ok = (s.hasPrefix("https://") || s.hasPrefix("http://")) && s.count > 8
                && !s.contains(where: { $0.isWhitespace || $0 == "\"" || $0 == "<" || $0 == ">" })
            return ok ? nil : "an http:// or https:// URL without spaces, found \"\(s)\""
        case (.integer, .integer): return nil
        case (.port, .integer(let p)): return (1...65535).contains(p) ? nil : "a port 1–65535, found \(p)"
        case (.boolean, .boolean): return nil
        case (.ip, .string(let s)): return AddressSyntax.checkIP(s).map { "an IP address: \($0)" }
        case (.cidr, .string(let s)): return AddressSyntax.checkCIDR(s).map { "a CIDR block: \($0)" }
        case (.mac, .string(let s)): return AddressSyntax.checkMAC(s).map { "a MAC address: \($0)" }
        default:
            let found: String = switch value {
            case .string(let s): "the string \"\(s)\""
            case .integer(let i): "the number \(i)"
            case .boolean(let b): "\(b)"
            }
            return "\(self == .integer || self == .port ? "a number" : self == .boolean ? "true or false" : "a string") (\(rawValue)), found \(found)"
        }
    }
}
