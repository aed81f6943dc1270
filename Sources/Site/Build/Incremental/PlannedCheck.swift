import LabgenCore
import Foundation

/// Stage 4 as the rebuild plan runs it: the whole course's check, from the pages' index
/// entries (those filled by this run, the others decoded from the record when asked), and
/// on the refilled pages only when the others cannot have changed outcome.
enum PlannedCheck {
    /// The check's outcome, with each page's linked files (kept in the cache).
    struct Checked {
        var diagnostics: [Diagnostic]
        var assetsByPage: [Int: [String]]
        /// Every linked file once, sorted.
        var assets: [String] { Array(Set(assetsByPage.values.joined())).sorted() }
    }

    /// The whole course's check, equal to checking every page, done on the pages filled again
    /// only when the others cannot have changed outcome: the same pages in the same order,
    /// the refilled pages' anchors as before (what links from other pages see of them), and
    /// every file the others link to still a file of the content. The previous build passed
    /// the check, so the others had no finding and keep their files. Anything else: all pages.
    static func check(_ entries: CourseEntries, refilled: Set<Int>, previous: BuildCache?,
                      content: ContentRoot) -> Checked {
        let step = CheckStep()
        let paths = entries.paths
        func full() -> Checked {
            let (diagnostics, byPage) = step.run(summaries: entries, paths: paths, checking: Array(paths.indices), content: content)
            return Checked(diagnostics: diagnostics, assetsByPage: byPage)
        }
        guard let previous, previous.order == paths else { return full() }
        var byPage: [Int: [String]] = [:]
        var kept: Set<String> = []
        for i in paths.indices {
            let old = previous.pages[i]
            if refilled.contains(i) {
                guard old.summary(path: paths[i]).anchors == entries[i].anchors else { return full() }
            } else {
                byPage[i] = old.assets
                kept.formUnion(old.assets)
            }
        }
        for path in kept where CheckStep.FileState(path, in: content) != .file { return full() }
        let (diagnostics, rechecked) = step.run(summaries: entries, paths: paths, checking: refilled.sorted(), content: content)
        byPage.merge(rechecked) { $1 }
        return Checked(diagnostics: diagnostics, assetsByPage: byPage)
    }

    /// Every page's index entry in course order: those filled by this build, the others decoded
    /// from their cache record only when the check asks (it reads the few pages linked to).
    struct CourseEntries: RandomAccessCollection, Sendable {
        var fresh: [PageIndexEntry?]
        var kept: [BuildCache.Page?]
        var paths: [String]

        var startIndex: Int { 0 }
        var endIndex: Int { paths.count }
        subscript(i: Int) -> PageIndexEntry { fresh[i] ?? kept[i]!.summary(path: paths[i]) }
    }
}
