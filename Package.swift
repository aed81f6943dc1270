// swift-tools-version:6.0
import PackageDescription

// One target per concern; imports only point down:
//   labgen → LabgenCLI → Serve → Site → (Markdown, Facts, TraceView) → (CCmarkGFM, Packets)
//   and nearly all of them → LabgenCore (diagnostics, positions, HTML escaping, suggestions)
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
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        // C: the system libcmark-gfm (Debian libcmark-gfm-dev), seen only by Markdown.
        .systemLibrary(name: "CCmarkGFM", pkgConfig: "libcmark-gfm",
                       providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]),
        // A fix in C for libcmark-gfm (see shim.c): parallel parses keep the extensions' characters.
        .target(name: "CCmarkGFMShim", dependencies: ["CCmarkGFM"]),
        // What every layer shares: Diagnostic, SourcePosition, HTMLEscaping, Suggestion.
        .target(name: "LabgenCore"),
        .target(name: "Markdown", dependencies: ["LabgenCore", "CCmarkGFM", "CCmarkGFMShim"]),
        .target(name: "Facts", dependencies: [
            "LabgenCore",
            .product(name: "Yams", package: "Yams"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "Packets"),
        .target(name: "TraceView", dependencies: ["LabgenCore", "Packets", "Facts"]),
        .target(name: "Probe", dependencies: ["LabgenCore", "Facts", "Packets"]),
        .target(name: "Site", dependencies: [
            "LabgenCore", "Markdown", "Facts", "TraceView",
            .product(name: "Mustache", package: "swift-mustache"),
            .product(name: "Yams", package: "Yams"),
        ], plugins: ["EmbedTheme"]),
        // templates/ (the default theme) and starter/ embedded at build time (see the plugin).
        .executableTarget(name: "EmbedThemeTool"),
        .plugin(name: "EmbedTheme", capability: .buildTool(), dependencies: ["EmbedThemeTool"]),
        // Its HTTP server is our own, on POSIX sockets: an HTTP package would pull in
        // FoundationNetworking (libcurl and ~30 shared libraries) and slow every start-up.
        .target(name: "Serve", dependencies: ["LabgenCore", "Site"]),
        // starter/ is embedded by the same plugin: the course `labgen init` writes.
        .target(name: "LabgenCLI", dependencies: [
            "LabgenCore", "Site", "Facts", "Packets", "Probe", "Serve",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], plugins: ["EmbedTheme"]),
        .executableTarget(name: "labgen", dependencies: ["LabgenCLI"]),

        .testTarget(name: "MarkdownTests", dependencies: ["LabgenCore", "Markdown"], resources: [.copy("Fixtures")]),
        .testTarget(name: "FactsTests", dependencies: ["LabgenCore", "Facts", .product(name: "Crypto", package: "swift-crypto")], resources: [.copy("Fixtures")]),
        .testTarget(name: "PacketsTests", dependencies: ["Packets"], resources: [.copy("Fixtures")]),
        .testTarget(name: "TraceViewTests", dependencies: ["LabgenCore", "TraceView", "Packets", "Facts"]),
        .testTarget(name: "ProbeTests", dependencies: ["LabgenCore", "Probe", "Facts", "Packets"], resources: [.copy("Fixtures")]),
        .testTarget(name: "SiteTests", dependencies: ["LabgenCore", "Site", "Markdown", "Facts", .product(name: "Yams", package: "Yams")], resources: [.copy("Fixtures")]),
        // Runs the built executable: depending on it makes `swift test` build it.
        .testTarget(name: "LabgenCLITests", dependencies: ["labgen"]),
        .testTarget(name: "ServeTests", dependencies: ["LabgenCore", "Serve", "Site"]),
    ]
)
