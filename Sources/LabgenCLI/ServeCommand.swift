import ArgumentParser
import Foundation
import Serve
import Site

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Preview the course in a browser, rebuilding as you edit.",
        discussion: """
        Builds the course like `labgen build` into OUT (default site/), then serves OUT over \
        HTTP on 127.0.0.1 only (never on other interfaces) at http://127.0.0.1:PORT/. \
        Directories serve their index.html; nothing outside OUT is ever served.

        The content directory, the templates directory and the facts file are watched \
        with inotify: a save rebuilds the changed pages in this process as soon as the file \
        is closed, and the open pages are told at once over Server-Sent Events \
        (/__labgen/events): each fetches its new build and replaces only what changed, \
        keeping its scroll position (a changed stylesheet, script or header reloads it). \
        When a build fails, its diagnostics (FILE:LINE:COL: error: MESSAGE) are printed \
        here and shown over the open pages; the previous site stays served and the server \
        keeps running until you fix the error. Stop it with Ctrl-C.

        If PORT is taken, the next ports are tried (up to 20) and the one used is printed. \
        Run from anywhere inside a course: without --content, the nearest folder above \
        holding content/course.yaml is used. Requests must name the server \
        (Host: 127.0.0.1:PORT or localhost:PORT); others get 421.

        The served pages get a small live-reload script; the files in OUT are exactly those \
        of `labgen build`.

        EXIT STATUS
          130 when stopped with Ctrl-C (SIGINT), 1 when no port can be opened or the \
          options are wrong.

        EXAMPLES
          labgen serve
          labgen serve --port 8080 --facts alice.json
          labgen serve --open
        """)

    @OptionGroup var options: ContentOptions

    @Option(name: .long, help: ArgumentHelp("Where the site is built; replaced as a whole.", valueName: "DIR"))
    var out: String = "site"

    @Option(name: .long, help: ArgumentHelp("TCP port on 127.0.0.1 (0: any free port).", valueName: "N"))
    var port: UInt16 = 8000

    @Flag(name: .long, help: "Open the course in the default browser (xdg-open) once it is built.")
    var open = false

    /// `xdg-open URL` (the URL is ours: 127.0.0.1 and a number), without waiting for it.
    static func openInBrowser(_ url: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["xdg-open", url]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch {
            Console.error("labgen: cannot open a browser (xdg-open: \(error.localizedDescription)); open \(url) yourself")
        }
    }

    func run() async throws {
        let build = options.siteBuild(out: out)
        let server: DevServer
        do {
            server = try DevServer(.init(site: URL(fileURLWithPath: out), port: port, watch: options.watchedInputs,
                                         portAttempts: port == 0 ? 1 : 20),
                                   build: { try await build.run(progress: { Console.progress("labgen: \($0)") },
                                                                waiting: { Console.error("labgen serve: \($0)") }) },
                                   log: { Console.error($0) })
        } catch {
            Console.error("labgen serve: cannot listen on 127.0.0.1:\(port): \(error)")
            throw ExitCode.failure
        }
        // The address once the first build is over (pages are answered before, with a page
        // that waits for it): whoever reads it can open a built site.
        let announce = Task {
            while case let now = server.status.snapshot, now.version == 0, now.error == nil {
                try await Task.sleep(for: .milliseconds(50))
            }
            if let port = try? await server.port() {
                let url = "http://127.0.0.1:\(port)/"
                Console.error("labgen: serving \(out)/ at \(url) (Ctrl-C to stop)")
                if open { Self.openInBrowser(url) }
            }
        }
        do {
            try await server.run()
        } catch is CancellationError {
        } catch {
            announce.cancel()
            Console.error("labgen serve: cannot serve on 127.0.0.1:\(port): \(error)")
            throw ExitCode.failure
        }
    }
}
