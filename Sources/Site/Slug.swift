import Foundation

/// GitHub's heading anchors with accents folded: `Création du Cluster KinD` →
/// `creation-du-cluster-kind`, `Déploiement d'une app` → `deploiement-dune-app`.
/// GitHub keeps accented letters; folding them makes anchors typeable and lets links
/// written against GitHub's unaccented habit keep working.
public enum Slug {
    public static func make(_ title: String) -> String {
        var out = ""
        for scalar in title.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars {
            let props = scalar.properties
            if props.generalCategory == .nonspacingMark { continue }
            if scalar == " " {
                out.append("-")
            } else if scalar == "-" || scalar == "_" || props.isAlphabetic || props.numericType != nil {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

/// Hands out unique ids on one page: `x`, then `x-1`, `x-2`, as GitHub does.
public struct SlugRegistry: Sendable {
    private var used: Set<String> = []

    public init() {}

    public mutating func unique(for title: String) -> String {
        let base = Slug.make(title)
        var candidate = base
        var n = 0
        while used.contains(candidate) {
            n += 1
            candidate = "\(base)-\(n)"
        }
        used.insert(candidate)
        return candidate
    }
}

