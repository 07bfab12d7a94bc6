// swift-tools-version:6.0
import Foundation
import PackageDescription

// `make fuzz` sets DOSSIER_FUZZ=1 (with its own scratch path) to build the fuzz target with
// libFuzzer. The flags go only to the targets under test: passed globally with -Xswiftc they
// would also reach the theme plugin's tool, whose own `main` clashes with libFuzzer's.
let fuzzing = ProcessInfo.processInfo.environment["DOSSIER_FUZZ"] == "1"
let fuzzedCode: [SwiftSetting] = fuzzing ? [.unsafeFlags(["-sanitize=fuzzer"])] : []
let fuzzEntry: [SwiftSetting] = fuzzing ? [.unsafeFlags(["-sanitize=fuzzer"]), .define("FUZZING")] : []
let fuzzLink: [LinkerSetting] = fuzzing ? [.unsafeFlags(["-sanitize=fuzzer", "-use-ld=lld"])] : []

let package = Package(
    name: "Dossier",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "dossier", targets: ["dossier"]),
        .library(name: "DossierKit", targets: ["DossierKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        // The preview server's HTTP: SwiftNIO's parser bounds header sizes and works in linear time.
        // (FlyingFox builds faster, but its request parsing is quadratic in a header line's
        // length: one 100 KB header took 5 s of CPU, so any client could stall the preview.)
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CCmark",
            pkgConfig: "libcmark",
            providers: [.apt(["libcmark-dev"])]
        ),
        // libdeflate compresses the search index's packs (Index/Deflate.swift) in the zlib
        // format: a few hundred files instead of ten thousand, each a quarter of its JSON's size.
        .systemLibrary(
            name: "CDeflate",
            pkgConfig: "libdeflate",
            providers: [.apt(["libdeflate-dev"])]
        ),
        // libyaml reads the front matter and site.yml (Parse/YAMLComposer.swift): its events
        // carry the line and column of every key and value, which is what diagnostics need.
        .systemLibrary(
            name: "CLibYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        .target(name: "CDossierSystem"),
        .target(
            name: "DossierKit",
            dependencies: [
                "CCmark",
                "CDossierSystem",
                "CDeflate",
                "CLibYAML",
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            swiftSettings: fuzzedCode,
            plugins: ["EmbedTheme"]
        ),
        // The default theme lives once, in Templates/ at the top of the repository; this plugin
        // turns it into Swift source at build time so the binary carries it with no resource bundle.
        .executableTarget(name: "embed-theme"),
        .plugin(name: "EmbedTheme", capability: .buildTool(), dependencies: ["embed-theme"]),
        .target(
            name: "DossierServe",
            dependencies: [
                "DossierKit",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // The fuzzer's entry points, and the tool that replays its corpus (see `make fuzz`).
        .target(name: "DossierFuzzTargets", dependencies: ["DossierKit"], swiftSettings: fuzzedCode),
        .executableTarget(name: "dossier-fuzz", dependencies: ["DossierFuzzTargets"], swiftSettings: fuzzEntry, linkerSettings: fuzzLink),
        .executableTarget(
            name: "dossier",
            dependencies: [
                "DossierKit",
                "DossierServe",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // mimalloc (Debian `libmimalloc-dev`) in place of glibc's malloc: a full build made
            // millions of short-lived strings, arrays and dictionaries on every core, and glibc
            // spent a tenth of the build's CPU in malloc and free.
            linkerSettings: [.linkedLibrary("mimalloc")]
        ),
        .testTarget(
            name: "DossierKitTests",
            dependencies: ["DossierKit", "DossierFuzzTargets", "dossier"],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "DossierServeTests",
            dependencies: ["DossierServe", "DossierKit"]
        ),
    ]
)
