import LabgenCore
import Foundation
import Testing
@testable import Site

/// A build killed or failing at any instant leaves the output either the previous complete
/// site or the new one, with nothing temporary in it, and the next build cleans up after it:
/// beside the output remain only the lock and the spare (the previous site, which the next
/// build recycles as its staging folder, whatever a killed build left in it).
/// The kills are real: the built `labgen` is run and `SIGKILL`s itself at a named commit
/// step (`LABGEN_TEST_STOP_AT`), or is killed by the test after a random delay.
@Suite(.serialized) struct AtomicOutputTests {
    /// A course (the test fixture plus generated labs, so the commit has many files), built
    /// once as `before`; the content then gets a one-page edit, whose clean build is `after`.
    struct Scene {
        let dir: URL
        let content: URL
        let out: URL
        /// The previous site, cache included, copied back before each interrupted build.
        let pristine: URL
        let before: [String: Data]
        let after: [String: Data]
        /// Extra arguments of every build (`--roster FILE`).
        let extra: [String]

        init(roster: Bool = false) async throws {
            content = try Fixture.copy("course")
            dir = content.deletingLastPathComponent()
            let lab = try String(contentsOf: content.appendingPathComponent("labs/02-deploiement.md"), encoding: .utf8)
            for n in 3...30 {
                try lab.replacingOccurrences(of: "Déploiement", with: "Déploiement \(n)")
                    .write(to: content.appendingPathComponent("labs/\(String(format: "%02d", n))-copie.md"), atomically: true, encoding: .utf8)
            }
            out = dir.appendingPathComponent("site")
            pristine = dir.appendingPathComponent("pristine")
            if roster {
                let facts = content.appendingPathComponent("facts/default.json")
                try Data("secret-for-atomic-tests-0123456789\n".utf8).write(to: dir.appendingPathComponent("roster.secret"))
                try FileManager.default.copyItem(at: facts, to: dir.appendingPathComponent("alice.json"))
                try FileManager.default.copyItem(at: facts, to: dir.appendingPathComponent("bob.json"))
                try Data("secret: roster.secret\nattendees:\n  - id: alice\n    name: Alice\n    facts: alice.json\n  - id: bob\n    name: Bob\n    facts: bob.json\n".utf8)
                    .write(to: dir.appendingPathComponent("roster.yaml"))
                extra = ["--roster", dir.appendingPathComponent("roster.yaml").path]
            } else {
                extra = []
            }
            var status = try Self.labgen(["build", "--content", content.path, "--templates", Fixture.templates.path, "--out", out.path] + extra)
            #expect(status.exit == 0, "\(status.stderr)")
            try FileManager.default.copyItem(at: out, to: pristine)
            before = try Self.site(out)
            let edited = content.appendingPathComponent("labs/01-decouverte.md")
            try (String(contentsOf: edited, encoding: .utf8) + "\nUne phrase ajoutée après la première construction.\n")
                .write(to: edited, atomically: true, encoding: .utf8)
            let reference = dir.appendingPathComponent("reference")
            status = try Self.labgen(["build", "--content", content.path, "--templates", Fixture.templates.path, "--out", reference.path] + extra)
            #expect(status.exit == 0, "\(status.stderr)")
            after = try Self.site(reference)
            #expect(before != after)
        }

        /// The arguments of the interrupted build (`--verbose`: the steps and the lock's
        /// waiting line are printed).
        func arguments(clean: Bool = false) -> [String] {
            ["build", "--verbose", "--content", content.path, "--templates", Fixture.templates.path, "--out", out.path] + extra + (clean ? ["--clean"] : [])
        }

        /// The output back to the previous site.
        func reset() throws {
            try? FileManager.default.removeItem(at: out)
            try FileManager.default.copyItem(at: pristine, to: out)
        }

        /// Entries beside the output a build made (lock, spare, staging folders).
        func besideOutput() throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix(".site") }.sorted()
        }

        /// What the output holds now: `before`, `after`, or a mix (nil).
        func state() throws -> String? {
            let now = try Self.site(out)
            if now == before { return "before" }
            if now == after { return "after" }
            let mixed = Set(now.keys).symmetricDifference(before.keys).union(now.keys.filter { now[$0] != before[$0] && now[$0] != after[$0] })
            Issue.record("the site is neither the previous build nor the new one: \(mixed.sorted().prefix(5))")
            return nil
        }

        /// A build without faults repairs everything: the new site, no leftovers.
        func rebuildCleansUp(_ comment: Comment) throws {
            let status = try Self.labgen(arguments())
            #expect(status.exit == 0, "\(comment): \(status.stderr)")
            #expect(try Self.site(out) == after, comment)
            #expect(try besideOutput() == [".site.lock", ".site.spare"], comment)
        }

        /// Every file of a site but the build record (whose file stamps differ between two
        /// builds of the same inputs), which must be there.
        static func site(_ dir: URL) throws -> [String: Data] {
            var tree = try Fixture.tree(dir)
            #expect(tree.removeValue(forKey: BuildCache.fileName) != nil || tree.keys.contains { $0.hasPrefix("instructor-") })
            return tree
        }

        /// Runs the built labgen; `kill`: seconds after which the test SIGKILLs it.
        static func labgen(_ arguments: [String], environment: [String: String] = [:], kill delay: Double? = nil) throws
            -> (exit: Int32, killed: Bool, stderr: String) {
            let process = Process()
            process.executableURL = try AtomicOutputTests.executable()
            process.arguments = arguments
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            if let delay {
                Thread.sleep(forTimeInterval: delay)
                Foundation.kill(process.processIdentifier, SIGKILL)
            }
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            let killed = process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL
            return (process.terminationStatus, killed, text)
        }
    }

    /// `labgen`, built beside this test bundle (`swift build` / `swift test` make both).
    static func executable() throws -> URL {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("labgen"),
            Bundle.main.bundleURL.appendingPathComponent("labgen"),
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("labgen"),
            ParameterSubstitutionTests.repo.appendingPathComponent(".build/debug/labgen"),
        ]
        return try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) },
                            "the labgen executable is not built: run `swift build` first")
    }

    static let steps = ["write-1", "write-2", "commit-step-1", "commit-step-2", "commit-step-3", "commit-step-4"]
    /// Steps 3 and 4 come after the exchange: the new site is in place.
    static func expected(_ step: String) -> String { step == "commit-step-3" || step == "commit-step-4" ? "after" : "before" }

    func killedAtEachStep(_ scene: Scene, clean: Bool) throws {
        for step in Self.steps {
            try scene.reset()
            let status = try Scene.labgen(scene.arguments(clean: clean), environment: ["LABGEN_TEST_STOP_AT": step])
            #expect(status.killed, "\(step): the build was meant to die there (\(status.stderr))")
            #expect(try scene.state() == Self.expected(step), "killed at \(step)")
            try scene.rebuildCleansUp("after a kill at \(step)")
        }
    }

    @Test func anIncrementalBuildKilledAtEachCommitStep() async throws {
        try killedAtEachStep(try await Scene(), clean: false)
    }

    @Test func aCleanBuildKilledAtEachCommitStep() async throws {
        try killedAtEachStep(try await Scene(), clean: true)
    }

    @Test func aRosterBuildKilledAtEachCommitStep() async throws {
        try killedAtEachStep(try await Scene(roster: true), clean: false)
    }

    /// Kills at random instants over a whole build: each leaves the old or the new site.
    @Test func randomKills() async throws {
        let scene = try await Scene()
        // Most of a build is before the commit: the kills aim around it (from half the time
        // to the first staged file, to the end).
        func timed(_ environment: [String: String]) throws -> Double {
            try scene.reset()
            let start = Date()
            _ = try Scene.labgen(scene.arguments(), environment: environment)
            return Date().timeIntervalSince(start)
        }
        let commit = try timed(["LABGEN_TEST_STOP_AT": "write-1"])
        let duration = try timed([:])
        var generator = SystemRandomNumberGenerator()
        var outcomes: [String: Int] = [:]
        for round in 0..<30 {
            try scene.reset()
            let delay = Double.random(in: (commit * 0.5)...max(commit, duration), using: &generator)
            let status = try Scene.labgen(scene.arguments(), kill: delay)
            let state = try scene.state()
            outcomes["\(state ?? "mixed")\(status.killed ? "" : " (finished)")", default: 0] += 1
            #expect(state != nil, "round \(round), killed after \(delay) s")
            try scene.rebuildCleansUp("after a random kill (round \(round))")
        }
        print("random kills from \(String(format: "%.2f", commit * 0.5)) s over a \(String(format: "%.2f", duration)) s build: \(outcomes.sorted { $0.key < $1.key })")
    }

    /// A commit that fails (not killed) says the site was not changed, and it was not.
    @Test func aFailedCommitSaysTheSiteIsUnchanged() async throws {
        let scene = try await Scene()
        for step in ["write-1", "commit-step-1", "commit-step-2"] {
            try scene.reset()
            let status = try Scene.labgen(scene.arguments(), environment: ["LABGEN_TEST_FAIL_AT": step])
            #expect(status.exit == 1)
            #expect(status.stderr.contains("labgen:1:1: error: test failure injected at \(step)"), "\(status.stderr)")
            #expect(status.stderr.contains("\(scene.out.path) was not changed"), "\(status.stderr)")
            #expect(try scene.state() == "before")
            #expect(try scene.besideOutput().allSatisfy { [".site.lock", ".site.spare"].contains($0) },
                    "no staging folder left on failure (a recycled spare stays the spare)")
        }
    }

    /// A second build into the same output says whom it waits for (by default: it is why
    /// the command seems stuck; not with `--quiet`), changes nothing while the first holds
    /// the lock, then builds.
    @Test(arguments: ["--verbose", nil, "--quiet"])
    func aSecondConcurrentBuildWaits(verbosity: String?) async throws {
        let scene = try await Scene()
        try scene.reset()
        let lock = try await OutputLock.acquire(for: scene.out)
        let process = Process()
        process.executableURL = try Self.executable()
        process.arguments = scene.arguments().filter { $0 != "--verbose" } + (verbosity.map { [$0] } ?? [])
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        try await Task.sleep(for: .seconds(2))
        #expect(process.isRunning, "the second build waits for the lock")
        #expect(try scene.state() == "before")
        lock.release()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        let waiting = "labgen: waiting for another labgen build (pid \(getpid())) writing \(scene.out.path) to finish"
        #expect(text.contains(waiting) == (verbosity != "--quiet"), "\(text)")
        #expect(try scene.state() == "after")
        #expect(try scene.besideOutput() == [".site.lock", ".site.spare"])
    }

    /// The fallback swap's previous site, left aside by a kill, is put back and built upon.
    @Test func aSiteLeftAsideIsPutBack() async throws {
        let scene = try await Scene()
        try? FileManager.default.removeItem(at: scene.out)
        try FileManager.default.copyItem(at: scene.pristine, to: scene.dir.appendingPathComponent(".site.old-99999"))
        try FileManager.default.createDirectory(at: scene.dir.appendingPathComponent(".site.new-99998/labs"), withIntermediateDirectories: true)
        let status = try Scene.labgen(scene.arguments())
        #expect(status.exit == 0, "\(status.stderr)")
        #expect(status.stderr.contains("render 1 of 31 pages"), "an incremental build from the restored site: \(status.stderr)")
        #expect(try Scene.site(scene.out) == scene.after)
        #expect(try scene.besideOutput() == [".site.lock", ".site.spare"], "the staging folder left became the spare")
    }

    /// A spare holding anything — hard links to the output's own files (one of them a page
    /// the build rewrites), a file where a folder goes, a folder where a file goes, a
    /// stray file, a link out of it — is made the new site without ever writing into the
    /// output or through the link.
    @Test func aSpareIsRecycledWithoutTouchingTheOutput() async throws {
        let scene = try await Scene()
        let fm = FileManager.default
        let spare = scene.dir.appendingPathComponent(".site.spare")
        let outside = scene.dir.appendingPathComponent("outside")
        func prepare() throws {
            try scene.reset()
            try? fm.removeItem(at: spare)
            try? fm.removeItem(at: outside)
            try fm.createDirectory(at: spare.appendingPathComponent("labs"), withIntermediateDirectories: true)
            try fm.createDirectory(at: outside, withIntermediateDirectories: true)
            for page in ["labs/01-decouverte.html", "labs/02-deploiement.html"] {
                try fm.linkItem(at: scene.out.appendingPathComponent(page), to: spare.appendingPathComponent(page))
            }
            try Data("not a folder".utf8).write(to: spare.appendingPathComponent("img"))
            try fm.createDirectory(at: spare.appendingPathComponent("index.html/inside"), withIntermediateDirectories: true)
            try Data("stray".utf8).write(to: spare.appendingPathComponent("labs/stray.html"))
            try fm.createSymbolicLink(at: spare.appendingPathComponent("assets"), withDestinationURL: outside)
        }
        #expect(try fm.contentsOfDirectory(atPath: scene.out.appendingPathComponent("img").path).isEmpty == false)
        for step in ["commit-step-1", "commit-step-2"] {
            try prepare()
            let status = try Scene.labgen(scene.arguments(), environment: ["LABGEN_TEST_STOP_AT": step])
            #expect(status.killed, "\(step): \(status.stderr)")
            #expect(try scene.state() == "before", "killed at \(step) with a spare")
            #expect(try fm.contentsOfDirectory(atPath: outside.path).isEmpty, "nothing written through the spare's link")
        }
        try prepare()
        let status = try Scene.labgen(scene.arguments())
        #expect(status.exit == 0, "\(status.stderr)")
        #expect(try Scene.site(scene.out) == scene.after)
        #expect(try fm.contentsOfDirectory(atPath: outside.path).isEmpty, "nothing written through the spare's link")
        #expect(try scene.besideOutput() == [".site.lock", ".site.spare"])
        // The spare is now the previous site, complete.
        #expect(try Scene.site(spare) == scene.before)
    }
}
