// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Dossier",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "dossier", targets: ["dossier"]),
        .library(name: "DossierKit", targets: ["DossierKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // Yams 5 decodes about twice as fast as 6 here, and its `compose` tree carries a position
        // for every key and value, which is what diagnostics need.
        .package(url: "https://github.com/jpsim/Yams", exact: "5.0.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        // The preview server: small, Swift-concurrency native, and about 15 s to build here,
        // against about 55 s for plain SwiftNIO and 90 s for Hummingbird on every CI run.
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CCmark",
            pkgConfig: "libcmark",
            providers: [.apt(["libcmark-dev"])]
        ),
        .target(name: "CDossierSystem"),
        .target(
            name: "DossierKit",
            dependencies: [
                "CCmark",
                "CDossierSystem",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
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
                .product(name: "FlyingFox", package: "FlyingFox"),
            ]
        ),
        .executableTarget(
            name: "dossier",
            dependencies: [
                "DossierKit",
                "DossierServe",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "DossierKitTests",
            dependencies: ["DossierKit", "dossier"],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "DossierServeTests",
            dependencies: ["DossierServe", "DossierKit"]
        ),
    ]
)
