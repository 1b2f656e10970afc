// swift-tools-version:6.0
// The libFuzzer target for the msense front end (see README.md; run with `make fuzz`).
import PackageDescription

let package = Package(
    name: "msense-fuzz",
    dependencies: [.package(name: "msense", path: "..")],
    targets: [
        .executableTarget(
            name: "FrontEndFuzzer",
            dependencies: [.product(name: "MSense", package: "msense")]),
        .executableTarget(
            name: "EditorFuzzer",
            dependencies: [.product(name: "MSenseLSP", package: "msense")]),
    ],
    swiftLanguageModes: [.v6]
)
