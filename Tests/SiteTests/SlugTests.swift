import Testing
import Markdown
@testable import Site

@Suite struct SlugTests {
    @Test(arguments: [
        ("Création du Cluster KinD", "creation-du-cluster-kind"),
        ("Déploiement d'une app", "deploiement-dune-app"),
        ("Mise en évidence de DSR", "mise-en-evidence-de-dsr"),
        ("eBPF & Direct Server Return (DSR)", "ebpf--direct-server-return-dsr"),
        ("Cœur à l'ouvrage", "cœur-a-louvrage"),
        ("Ça ÉCHOUE_bien 2 fois", "ca-echoue_bien-2-fois"),
    ])
    func slug(_ title: String, _ expected: String) {
        #expect(Slug.make(title) == expected)
    }

    /// The per-character table gives what folding the whole title gives, for every pair of
    /// characters it covers and for sample headings.
    @Test func latinTableEqualsWholeStringFolding() {
        let covered = (0..<Slug.latinFolds.count).compactMap { Unicode.Scalar(UInt32($0)) }
        for a in covered {
            for b in stride(from: 0, to: covered.count, by: 7) {
                let title = String(a) + String(covered[b]) + " " + String(covered[(b * 31 + Int(a.value)) % covered.count])
                #expect(Slug.make(title) == Slug.foldedByFoundation(title), "\(title.unicodeScalars.map { $0.value })")
            }
        }
        for title in ["Création du Cluster KinD", "İstanbul ǅemal Ǆ ǈ", "Œuvre ß ẞ ŉ ǰ", "Ĳ ĳ ſ ǲ", "n° 1 — « ça »"] {
            #expect(Slug.make(title) == Slug.foldedByFoundation(title), "\(title)")
        }
    }

    @Test func duplicatesGetSuffixes() {
        var registry = SlugRegistry()
        #expect(["Cleanup", "Cleanup", "cleanup", "Cleanup-1"].map { registry.unique(for: $0) }
                == ["cleanup", "cleanup-1", "cleanup-2", "cleanup-1-1"])
    }

    @Test func inlineCodeInHeadingsCounts() {
        let doc = Document(parsing: "## Analyse de la config réseau, détermination de la `veth` à sniffer\n\n## `arp -an`\n")
        let (anchored, headings) = HeadingAnchors.apply(to: doc)
        #expect(headings.map(\.id) == ["analyse-de-la-config-reseau-determination-de-la-veth-a-sniffer", "arp--an"])
        #expect(anchored.html().hasPrefix("<h2 id=\"analyse-de-la-config-reseau-determination-de-la-veth-a-sniffer\">"))
    }
}
