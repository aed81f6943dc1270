/// The parameter language's syntax tree. Grammar (docs/parameters.md has the user's view):
///
///     placeholder := "${{" tag "}}"          "$${{" is a literal "${{"
///     tag        := "for" NAME "in" expr | "if" expr | "else" [ "if" expr ] | "end" | expr
///     expr       := and { "or" and }
///     and        := not { "and" not }
///     not        := "not" not | compare
///     compare    := postfix [ ("==" | "!=") postfix ]
///     postfix    := primary { "." NAME | "[" ["-"] INT "]" }
///     primary    := NAME [ "(" [ arg { "," arg } ] ")" ] | STRING | ["-"] INT
///                 | "true" | "false" | "(" expr ")"
///     arg        := (NAME | STRING) "=" expr | expr
///
/// Small on purpose: paths, lookups, one loop and one conditional cover the labs; anything
/// more belongs in the facts (computed by the probe), not in the page.
indirect enum Expr: Sendable, Equatable {
    case name(String, SourceLocation)
    case string(String, SourceLocation)
    case int(Int, SourceLocation)
    case bool(Bool, SourceLocation)
    /// `base.field`; the location is the field name's.
    case member(Expr, String, SourceLocation)
    case index(Expr, Int, SourceLocation)
    case call(String, [Argument], SourceLocation)
    case compare(Expr, equal: Bool, Expr, SourceLocation)
    case and(Expr, Expr)
    case or(Expr, Expr)
    case not(Expr, SourceLocation)

    var location: SourceLocation {
        switch self {
        case .name(_, let l), .string(_, let l), .int(_, let l), .bool(_, let l), .call(_, _, let l),
             .not(_, let l), .compare(_, _, _, let l):
            l
        case .member(let base, _, _), .index(let base, _, _): base.location
        case .and(let a, _), .or(let a, _): a.location
        }
    }
}

struct Argument: Sendable, Equatable {
    var label: String?
    var value: Expr
    var location: SourceLocation
}

/// What one `${{ … }}` says.
enum Tag: Sendable, Equatable {
    case value(Expr)
    case forLoop(variable: String, SourceLocation, in: Expr)
    case ifBranch(Expr)
    case elseIf(Expr)
    case elseBranch
    case end

    var isControl: Bool {
        if case .value = self { return false }
        return true
    }
}
