import Foundation
import Glibc
import Testing

/// Hostile values given to the real `labgen` binary where they would reach ssh: `--ssh` on
/// probe and capture, a roster's `ssh:` for probe and build. Each would run a command on this
/// machine if it reached ssh as an option (`-oProxyCommand=touch MARKER`, `-F<file>`); the
/// marker must not exist, no output may be written, and the error must name the value (at
/// its line and column in a roster). Also the messages for files that cannot be read.
@Suite struct HostileArgumentTests {
    static func run(_ arguments: [String], in directory: URL) throws -> (Int32, String) {
        try InitRoundTripTests.run(arguments, in: directory)
    }

    /// A folder with a copy of the repository's course, a roster secret and a marker path.
    static func workspace() throws -> (URL, String) {
        let dir = try InitRoundTripTests.temporaryDirectory()
        try FileManager.default.copyItem(at: InitRoundTripTests.repository.appendingPathComponent("content"),
                                         to: dir.appendingPathComponent("content"))
        try Data("0123456789abcdef0123456789abcdef\n".utf8).write(to: dir.appendingPathComponent("roster.secret"))
        return (dir, dir.appendingPathComponent("pwned").path)
    }

    @Test func sshFlagsNeverReachSSH() throws {
        let (dir, marker) = try Self.workspace()
        for value in ["-oProxyCommand=touch \(marker)", "-F\(dir.path)/content/index.md", "-oLocalCommand=touch \(marker)"] {
            for arguments in [["probe", "--ssh=\(value)", "-o", "facts.json", "--connect-timeout", "1", "--timeout", "5"],
                              ["probe", "--ssh", value, "-o", "facts.json"],
                              ["capture", "--facts", "content/facts/default.json", "--ssh=\(value)", "-o", "x.pcap"]] {
                let (status, errors) = try Self.run(arguments, in: dir)
                #expect(status != 0, "\(arguments)")
                // `--ssh -o…` as two words: the parser itself takes `-o…` for an option.
                let named = errors.contains("--ssh: ssh destination \(value.debugDescription) starts with `-`")
                #expect(named || (arguments[2] == value && errors.contains("Missing value for '--ssh <HOST>'")), "\(errors)")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: marker))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("facts.json").path))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("x.pcap").path))
    }

    /// Every other flag that reaches a command line, with `kubectl`, `ip`, `ssh`, `tcpdump`,
    /// `curl`, `sh` and `mktemp` replaced (first in PATH) by scripts that create the marker.
    @Test func otherFlagsThatReachACommandAreRefusedBeforeAnythingRuns() throws {
        let (dir, marker) = try Self.workspace()
        let trap = dir.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: trap, withIntermediateDirectories: true)
        for program in ["kubectl", "ip", "ssh", "tcpdump", "curl", "sh", "mktemp", "docker", "podman", "bridge", "timeout"] {
            let script = trap.appendingPathComponent(program)
            try "#!/bin/sh\n/usr/bin/touch '\(marker)'\n".write(to: script, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        }
        let cases: [([String], String)] = [
            (["probe", "--netns=-all", "-o", "f.json"], "--netns: network namespace \"-all\" starts with `-`"),
            (["probe", "--netns", "../../etc", "-o", "f.json"], "--netns: network namespace \"../../etc\" is not a namespace name"),
            (["probe", "--context=-n", "-o", "f.json"], "--context \"-n\" starts with `-`"),
            (["probe", "--lab-dir", "/home/lab; touch X", "-o", "f.json"], "--lab-dir: \"/home/lab; touch X\" contains `;`"),
            (["probe", "--kubeconfig", "a\nb", "-o", "f.json"], "--kubeconfig \"a\\nb\" contains a newline"),
            (["capture", "--facts", "content/facts/default.json", "--interface=-w/tmp/x", "-o", "x.pcap"], "--interface: interface name \"-w/tmp/x\" starts with `-`"),
            (["capture", "--facts", "content/facts/default.json", "--url=-o/tmp/x", "-o", "x.pcap"], "--url: URL \"-o/tmp/x\" does not start with http://"),
            (["capture", "--facts", "content/facts/default.json", "--netns=a b", "-o", "x.pcap"], "--netns: network namespace \"a b\""),
        ]
        for (arguments, expected) in cases {
            let (status, text) = try InitRoundTripTests.run(arguments, in: dir, environment: [
                "PATH": trap.path + ":/usr/bin:/bin:/usr/sbin:/sbin", "HOME": dir.path])
            #expect(status != 0, "\(arguments)")
            #expect(text.contains(expected), "\(arguments): \(text)")
        }
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    @Test func rosterSSHIsCheckedAtItsLineBeforeAnythingRuns() throws {
        let (dir, marker) = try Self.workspace()
        let roster = """
        secret: roster.secret
        attendees:
          - id: alice
            name: Alice
            facts: content/facts/default.json
            ssh: "-oProxyCommand=touch \(marker)"
          - id: bob
            name: Bob
            facts: bob.json
            ssh: bob@vm-bob
            context: "-n"
        """
        try Data(roster.utf8).write(to: dir.appendingPathComponent("roster.yaml"))
        for arguments in [["probe", "--roster", "roster.yaml", "--connect-timeout", "1", "--timeout", "5"],
                          ["build", "--roster", "roster.yaml", "--out", "site"]] {
            let (status, errors) = try Self.run(arguments, in: dir)
            #expect(status != 0)
            #expect(errors.contains("roster.yaml:6:10: error: ssh destination \"-oProxyCommand=touch \(marker)\" starts with `-`"), "\(errors)")
            #expect(errors.contains("roster.yaml:11:14: error: context: \"-n\" starts with `-`"), "\(errors)")
        }
        #expect(!FileManager.default.fileExists(atPath: marker))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("bob.json").path))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("site").path))
    }

    @Test func unreadableFilesAreNamedWithWhatToDo() throws {
        let (dir, _) = try Self.workspace()
        let cases: [([String], String)] = [
            (["check", "--facts", "content"], "content"),
            (["build", "--facts", "nope.json", "--out", "site"], "nope.json"),
            (["build", "--roster", "nope.yaml", "--out", "site"], "nope.yaml:1:1: error: cannot read the roster: no such file (check the path)"),
            (["probe", "--roster", "content"], "content:1:1: error: cannot read the roster: is a directory, not a file"),
            (["capture", "--facts", "content", "-o", "x.pcap"], "cannot read the facts file: is a directory, not a file"),
        ]
        for (arguments, expected) in cases {
            let (status, errors) = try Self.run(arguments, in: dir)
            #expect(status != 0, "\(arguments)")
            #expect(errors.contains(expected), "\(arguments): \(errors)")
            #expect(!errors.contains("NSCocoaErrorDomain") && !errors.contains("Code=") && !errors.contains("error 256"), "\(errors)")
        }
    }

    /// `build --clean` into a folder it may not write names that folder (run as `nobody`
    /// through setpriv; only root can switch user, as CI runs, so otherwise it says why not).
    @Test func cleanBuildWithoutWritePermissionNamesThePath() throws {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else {
            print("HostileArgumentTests: not root (or no setpriv), the permission case needs another user")
            return
        }
        let (dir, _) = try Self.workspace()
        let out = dir.appendingPathComponent("out")
        let (built, log) = try Self.run(["build", "--out", "out/site"], in: dir)
        #expect(built == 0, "\(log)")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir.path)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: out.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: out.path) }
        let before = try Data(contentsOf: out.appendingPathComponent("site/index.html"))
        // A copy of the binary the other user can run wherever the repository lives.
        let binary = dir.appendingPathComponent("labgen")
        try FileManager.default.copyItem(atPath: try InitRoundTripTests.labgen(), toPath: binary.path)
        let (status, errors) = try InitRoundTripTests.run(["--reuid=65534", "--regid=65534", "--clear-groups", binary.path,
                                                           "build", "--out", "out/site", "--clean"],
                                                          in: dir, program: "/usr/bin/setpriv")
        #expect(status != 0)
        #expect(errors.contains(out.path), "\(errors)")
        #expect(try Data(contentsOf: out.appendingPathComponent("site/index.html")) == before)
    }

    @Test func rosterErrorsAreAtTheirLine() throws {
        let (dir, _) = try Self.workspace()
        let cases: [(String, String)] = [
            ("secret: roster.secret\nattendees:\n  - id: a\n    name: A\n", "roster.yaml:3:5: error: attendees[0]: missing `facts:`"),
            ("secret: roster.secret\nattendees:\n  - id: a\n    name: [A\n", "roster.yaml:5:1: error: invalid YAML"),
            ("secret: roster.secret\nattendees:\n  - {id: a, name: A, facts: a.json}\n  - {id: a, name: B, facts: b.json}\n",
             "roster.yaml:4:10: error: attendee id \"a\" appears twice"),
            ("secret: roster.secret\nattendees:\n  - id: a\n    name: A\n    facts: \u{e9}t\u{e9}.json\n    ssh: \"al ice@vm\"\n",
             "roster.yaml:6:10: error: ssh destination \"al ice@vm\" contains a space"),
        ]
        for (text, expected) in cases {
            try Data(text.utf8).write(to: dir.appendingPathComponent("roster.yaml"))
            let (status, errors) = try Self.run(["build", "--roster", "roster.yaml", "--out", "site"], in: dir)
            #expect(status != 0)
            #expect(errors.contains(expected), "\(errors)")
        }
        var bytes = Array("secret: roster.secret\nattendees:\n  - id: a\n    name: ".utf8)
        bytes += [0xC3, 0x28]
        try Data(bytes + Array("\n".utf8)).write(to: dir.appendingPathComponent("roster.yaml"))
        let (_, errors) = try Self.run(["probe", "--roster", "roster.yaml"], in: dir)
        #expect(errors.contains("roster.yaml:4:11: error: the roster is not valid UTF-8 here"), "\(errors)")
    }
}
