// swift-tools-version:6.0
// The libFuzzer target for the msense front end (see README.md; run with `make fuzz`).
import PackageDescription

let package = Package(
    name: "msense-fuzz",
    dependencies: [.package(name: "msense", path: "..")],
    targets: [
        .executableTarget(
            name: "FrontEndFuzzer",
            dependencies: ["FuzzDriver", .product(name: "MSense", package: "msense")]),
        .executableTarget(
            name: "EditorFuzzer",
            dependencies: ["FuzzDriver", .product(name: "MSenseLSP", package: "msense")]),
        .target(name: "FuzzDriver"),
    ],
    swiftLanguageModes: [.v6]
)
