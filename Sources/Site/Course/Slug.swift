import Foundation

/// GitHub's heading anchors with accents folded: `Création du Cluster KinD` →
/// `creation-du-cluster-kind`, `Déploiement d'une app` → `deploiement-dune-app`.
/// GitHub keeps accented letters; folding them makes anchors typeable and lets links
/// written against GitHub's unaccented habit keep working.
public enum Slug {
    public static func make(_ title: String) -> String {
        // Latin text (ASCII, Latin-1, Latin Extended-A/B: all of French) folds one character
        // at a time from a table; Foundation's decomposition of every heading was most of
        // giving anchors. Folding these characters alone or in a string gives the same result:
        // their lowercase and decomposition do not depend on neighbours, and the marks that
        // canonical ordering could move are all dropped.
        if title.unicodeScalars.allSatisfy({ $0.value < UInt32(latinFolds.count) }) {
            var out = ""
            for scalar in title.unicodeScalars { out += latinFolds[Int(scalar.value)] }
            return out
        }
        return foldedByFoundation(title)
    }

    /// What each character below U+0250 becomes on its own.
    static let latinFolds: [String] = (0..<0x250).map { foldedByFoundation(String(Unicode.Scalar(UInt32($0))!)) }

    static func foldedByFoundation(_ title: String) -> String {
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
