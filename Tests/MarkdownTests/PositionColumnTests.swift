import Testing
import LabgenCore
@testable import Markdown

/// Node columns count Unicode scalars. The converter counts a column on from the previous
/// position of its line; counting every column from its line's start is the reference.
@Suite struct PositionColumnTests {
    static let pages = [
        "# Élément « réseau » : *nœud* et **côté** `kubectl` [lien](a.md) — fin\n\nDéjà là : *où* `ip a` **être** ~~vu~~ <https://cilium.io> _é_ `œ` [^n].\n\n[^n]: Note « é ».\n",
        "| colonne é | côté |\n|---|---|\n| *réseau* `a` | **nœud** é [x](b.md) |\n\n- élément *a*\n  - sous-élément `b` « c »\n\n> citation *é* `x`\n> suite paresseuse **ç**\n",
        "Texte é\nligne deux *é* `é` **é**\n   indentée é *x* [y](z.md)\n\n```sh\n# é\n```\n\n1. premier é *a*\n2. deuxième `b` ![image é](i.png)\n",
    ]

    static func positions(_ node: Node) -> [SourcePosition?] {
        var all: [SourcePosition?] = []
        node.forEach { all.append($0.position) }
        return all
    }

    @Test(arguments: pages)
    func columnsCountedOnEqualColumnsCountedFromTheLineStart(_ page: String) {
        let fast = CommonMarkConverter.convert(page).root
        let plain = CommonMarkConverter.convert(page, countingOn: false).root
        let (a, b) = (Self.positions(fast), Self.positions(plain))
        #expect(a.count > 10)
        #expect(a == b)
        // The pages are not ASCII: had the columns been bytes, some would be further right.
        #expect(a.contains { ($0?.column ?? 0) > 1 })
    }
}
