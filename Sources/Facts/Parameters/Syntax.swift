import LabgenCore

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
    case name(String, SourcePosition)
    case string(String, SourcePosition)
    case int(Int, SourcePosition)
    case bool(Bool, SourcePosition)
    /// `base.field`; the location is the field name's.
    case member(Expr, String, SourcePosition)
    case index(Expr, Int, SourcePosition)
    case call(String, [Argument], SourcePosition)
    case compare(Expr, equal: Bool, Expr, SourcePosition)
    case and(Expr, Expr)
    case or(Expr, Expr)
    case not(Expr, SourcePosition)

    var location: SourcePosition {
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
    var location: SourcePosition
}

/// What one `${{ … }}` says.
enum Tag: Sendable, Equatable {
    case value(Expr)
    case forLoop(variable: String, SourcePosition, in: Expr)
    case ifBranch(Expr)
    case elseIf(Expr)
    case elseBranch
    case end

    var isControl: Bool {
        if case .value = self { return false }
        return true
    }
}
