/// What an incremental build redoes, decided from the previous build's record and what this
/// build found (file stamps, digests, sizes on disk). Pure functions, no I/O, each tested on
/// its own (`RebuildPlanTests`); `PipelineRun` gathers their inputs, in stage order
/// (a page's render key needs the titles its fill gave), and carries the decisions out
/// through the same steps a clean build runs. With no previous record every decision is
/// "redo": a clean build is the plan with nothing recorded.
enum RebuildPlan {
    /// What the previous build recorded of one page.
    struct Recorded: Sendable, Equatable {
        var stamp: FileStamp
        /// Digest of the page's path, title and text.
        var source: Digest
        var usesFacts: Bool
        /// Digest of everything its HTML was made from.
        var render: Digest
        /// Bytes of the HTML written.
        var size: Int
    }

    /// The pages whose file need not be read: its stamp is trusted and the recorded one.
    /// - Parameters:
    ///   - recorded: per page of this build, the previous record (nil: a new page).
    ///   - stamps: per page, its file's stamp now (nil: could not be taken).
    static func unread(_ recorded: [Recorded?], stamps: [FileStamp?]) -> [Bool] {
        zip(recorded, stamps).map { record, stamp in
            guard let record, let stamp, stamp.trusted else { return false }
            return record.stamp == stamp
        }
    }

    /// The pages whose fill (and summary) is kept from the record: same text, same use of
    /// the facts, the facts unchanged if used, course.yaml unchanged, and every file the
    /// page read still as it was.
    /// - Parameters:
    ///   - recorded: per page, the previous record.
    ///   - sources: per page, its source digest now.
    ///   - readsFacts: per page, whether a transform reads the facts on it.
    ///   - courseUnchanged: course.yaml's digest is the recorded one.
    ///   - factsUnchanged: the facts' digest is the recorded one.
    ///   - dependenciesHold: whether page `i`'s recorded file reads still hold; asked only
    ///     of pages that pass every other test.
    static func keptFills(_ recorded: [Recorded?], sources: [Digest], readsFacts: [Bool], courseUnchanged: Bool,
                          factsUnchanged: Bool, dependenciesHold: (Int) -> Bool) -> [Bool] {
        guard courseUnchanged else { return Array(repeating: false, count: sources.count) }
        return sources.indices.map { i in
            guard let record = recorded[i], record.source == sources[i], record.usesFacts == readsFacts[i],
                  !readsFacts[i] || factsUnchanged else { return false }
            return dependenciesHold(i)
        }
    }

    /// The pages to render: new ones, those whose render key changed, and those whose
    /// output is missing or not at its recorded size (changed by hand).
    /// - Parameters:
    ///   - recorded: per page, the previous record.
    ///   - renderKeys: per page, the digest of what its HTML is made from now.
    ///   - outputSizes: per page, the size of its output file on disk (nil: absent).
    static func stale(_ recorded: [Recorded?], renderKeys: [Digest], outputSizes: [Int?]) -> [Int] {
        renderKeys.indices.filter { i in
            guard let record = recorded[i], record.render == renderKeys[i], outputSizes[i] == record.size else { return true }
            return false
        }
    }

    /// Whether a file made from several pages (the lab-list script, a search shard) is kept:
    /// what it is made from is unchanged and it is on disk at its recorded size.
    /// - Parameters:
    ///   - unchanged: its inputs are those recorded.
    ///   - recordedSize: its size in the record (nil: not recorded).
    ///   - sizeOnDisk: its size now (nil: absent).
    static func keeps(_ unchanged: Bool, recordedSize: Int?, sizeOnDisk: Int?) -> Bool {
        guard unchanged, let recordedSize else { return false }
        return sizeOnDisk == recordedSize
    }

    /// The search shards to write again: a shard is kept when it holds the same pages at
    /// the same positions as recorded, none of them filled again, and it is whole on disk.
    /// - Parameters:
    ///   - paths: the pages of this build, in course order.
    ///   - previousOrder: the pages of the previous build (empty: none).
    ///   - perShard: pages per shard.
    ///   - refilled: the pages filled by this build.
    ///   - recordedSizes: per shard, its recorded size (nil: not recorded).
    ///   - sizesOnDisk: per shard, its size now (nil: absent).
    static func staleShards(paths: [String], previousOrder: [String], perShard: Int, refilled: Set<Int>,
                            recordedSizes: [Int?], sizesOnDisk: [Int?]) -> [Int] {
        let count = (paths.count + perShard - 1) / perShard
        return (0..<count).filter { k in
            let members = (k * perShard)..<min(paths.count, (k + 1) * perShard)
            let same = previousOrder.count >= members.upperBound
                && members.allSatisfy { previousOrder[$0] == paths[$0] && !refilled.contains($0) }
            return !keeps(same, recordedSize: recordedSizes[k], sizeOnDisk: sizesOnDisk[k])
        }
    }
}
