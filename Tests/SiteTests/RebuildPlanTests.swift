import Testing
@testable import Site

/// The incremental build's decisions, on hand-made records: each rule of `RebuildPlan`
/// and its edge (a new page, an untrusted stamp, a file changed by hand, a moved page).
@Suite struct RebuildPlanTests {
    static func stamp(_ n: Int, trusted: Bool = true) -> FileStamp {
        FileStamp(size: 100 + n, modified: 1_000 + n, inode: UInt64(n), trusted: trusted)
    }

    static func record(_ n: Int, usesFacts: Bool = false) -> RebuildPlan.Recorded {
        .init(stamp: stamp(n), source: Digest("page \(n)"), usesFacts: usesFacts, render: Digest("render \(n)"), size: 10 * n)
    }

    @Test func unreadNeedsATrustedStampEqualToTheRecord() {
        let recorded = [Self.record(1), Self.record(2), Self.record(3), nil]
        let stamps = [Self.stamp(1), Self.stamp(2, trusted: false), Self.stamp(4), Self.stamp(4)]
        #expect(RebuildPlan.unread(recorded, stamps: stamps) == [true, false, false, false])
        #expect(RebuildPlan.unread([Self.record(1)], stamps: [nil]) == [false], "no stamp: read it")
    }

    @Test func keptFillsFollowTextFactsCourseAndFilesRead() {
        let recorded = [Self.record(1), Self.record(2, usesFacts: true), Self.record(3), Self.record(4), nil]
        let sources = [Digest("page 1"), Digest("page 2"), Digest("changed"), Digest("page 4"), Digest("page 5")]
        let reads = [false, true, false, false, false]
        var asked: [Int] = []
        let kept = RebuildPlan.keptFills(recorded, sources: sources, readsFacts: reads, courseUnchanged: true,
                                         factsUnchanged: false) { i in asked.append(i); return i != 3 }
        #expect(kept == [true, false, false, false, false])
        #expect(asked == [0, 3], "files read are checked only for pages that pass the other tests")
        let factsSame = RebuildPlan.keptFills(recorded, sources: sources, readsFacts: reads, courseUnchanged: true,
                                              factsUnchanged: true) { _ in true }
        #expect(factsSame == [true, true, false, true, false])
        let courseChanged = RebuildPlan.keptFills(recorded, sources: sources, readsFacts: reads, courseUnchanged: false,
                                                  factsUnchanged: true) { _ in true }
        #expect(courseChanged == [false, false, false, false, false])
        let startsReadingFacts = RebuildPlan.keptFills([Self.record(1)], sources: [Digest("page 1")], readsFacts: [true],
                                                       courseUnchanged: true, factsUnchanged: true) { _ in true }
        #expect(startsReadingFacts == [false], "a page whose facts use changed is filled again")
    }

    @Test func staleIsNewChangedOrTouchedOnDisk() {
        let recorded = [Self.record(1), Self.record(2), Self.record(3), Self.record(4), nil]
        let keys = [Digest("render 1"), Digest("other"), Digest("render 3"), Digest("render 4"), Digest("render 5")]
        let sizes: [Int?] = [10, 20, 31, nil, 50]
        #expect(RebuildPlan.stale(recorded, renderKeys: keys, outputSizes: sizes) == [1, 2, 3, 4])
        #expect(RebuildPlan.stale([nil, nil], renderKeys: [Digest("a"), Digest("b")], outputSizes: [1, 2]) == [0, 1],
                "no record: a clean build renders everything")
    }

    @Test func aSharedFileIsKeptWhenUnchangedAndWhole() {
        #expect(RebuildPlan.keeps(true, recordedSize: 5, sizeOnDisk: 5))
        #expect(!RebuildPlan.keeps(false, recordedSize: 5, sizeOnDisk: 5))
        #expect(!RebuildPlan.keeps(true, recordedSize: 5, sizeOnDisk: 6))
        #expect(!RebuildPlan.keeps(true, recordedSize: nil, sizeOnDisk: 5))
        #expect(!RebuildPlan.keeps(true, recordedSize: 5, sizeOnDisk: nil))
    }

    @Test func shardsFollowTheirPagesOrderAndFiles() {
        let paths = (0..<7).map { "labs/\($0).md" }
        let all: [Int?] = [30, 30, 10]
        // Shards of 3 pages: [0,1,2] [3,4,5] [6].
        #expect(RebuildPlan.staleShards(paths: paths, previousOrder: paths, perShard: 3, refilled: [4],
                                        recordedSizes: all, sizesOnDisk: all) == [1])
        var moved = paths
        moved.swapAt(0, 1)
        #expect(RebuildPlan.staleShards(paths: paths, previousOrder: moved, perShard: 3, refilled: [],
                                        recordedSizes: all, sizesOnDisk: all) == [0])
        #expect(RebuildPlan.staleShards(paths: paths, previousOrder: Array(paths.prefix(6)), perShard: 3, refilled: [],
                                        recordedSizes: all, sizesOnDisk: all) == [2], "a page added at the end")
        #expect(RebuildPlan.staleShards(paths: paths, previousOrder: paths, perShard: 3, refilled: [],
                                        recordedSizes: all, sizesOnDisk: [30, nil, 10]) == [1], "a shard deleted by hand")
        #expect(RebuildPlan.staleShards(paths: paths, previousOrder: [], perShard: 3, refilled: [],
                                        recordedSizes: [nil, nil, nil], sizesOnDisk: [nil, nil, nil]) == [0, 1, 2])
    }
}
