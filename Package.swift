// swift-tools-version:6.0
import PackageDescription

// One target per concern; imports only point down:
//   labgen → LabgenCLI → Serve → Site → (Markdown, Facts, TraceView) → (CCmarkGFM, Packets)
//   labgen → CProcessStart (start-up only)
//   Probe → (Facts, Packets)
let package = Package(
    name: "labgen",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "labgen", targets: ["labgen"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
    ],
    targets: [
        // C: the system libcmark-gfm (Debian libcmark-gfm-dev), seen only by Markdown.
        .systemLibrary(name: "CCmarkGFM", pkgConfig: "libcmark-gfm",
                       providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]),
        // Two fixes in C for libcmark-gfm (see shim.c): literals read in place, parallel parses.
        .target(name: "CCmarkGFMShim", dependencies: ["CCmarkGFM"]),
        .target(name: "Markdown", dependencies: ["CCmarkGFM", "CCmarkGFMShim"]),
        .target(name: "Facts", dependencies: [.product(name: "Yams", package: "Yams")]),
        .target(name: "Packets"),
        .target(name: "TraceView", dependencies: ["Packets", "Facts"]),
        .target(name: "Probe", dependencies: ["Facts", "Packets"]),
        .target(name: "Site", dependencies: [
            "Markdown", "Facts", "TraceView",
            .product(name: "Mustache", package: "swift-mustache"),
            .product(name: "Yams", package: "Yams"),
        ], plugins: ["EmbedTheme"]),
        // templates/ (the default theme) and starter/ embedded at build time (see the plugin).
        .executableTarget(name: "EmbedThemeTool"),
        .plugin(name: "EmbedTheme", capability: .buildTool(), dependencies: ["EmbedThemeTool"]),
        // Its HTTP server is our own, on POSIX sockets: an HTTP package would pull in
        // FoundationNetworking (libcurl and ~30 shared libraries) and slow every start-up.
        .target(name: "Serve", dependencies: ["Site"]),
        // starter/ is embedded by the same plugin: the course `labgen init` writes.
        .target(name: "LabgenCLI", dependencies: [
            "Site", "Facts", "Packets", "Probe", "Serve",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], plugins: ["EmbedTheme"]),
        // C run before main: the executable's writable pages faulted in on one core (see the file).
        .target(name: "CProcessStart"),
        .executableTarget(name: "labgen", dependencies: ["LabgenCLI", "CProcessStart"]),

        .testTarget(name: "MarkdownTests", dependencies: ["Markdown"]),
        .testTarget(name: "FactsTests", dependencies: ["Facts"], resources: [.copy("Fixtures")]),
        .testTarget(name: "PacketsTests", dependencies: ["Packets"], resources: [.copy("Fixtures")]),
        .testTarget(name: "TraceViewTests", dependencies: ["TraceView", "Packets", "Facts"]),
        .testTarget(name: "ProbeTests", dependencies: ["Probe", "Facts", "Packets"], resources: [.copy("Fixtures")]),
        .testTarget(name: "SiteTests", dependencies: ["Site", "Markdown", "Facts", .product(name: "Yams", package: "Yams")], resources: [.copy("Fixtures")]),
        .testTarget(name: "LabgenCLITests", dependencies: ["LabgenCLI"]),
        .testTarget(name: "ServeTests", dependencies: ["Serve", "Site"]),
    ]
)
