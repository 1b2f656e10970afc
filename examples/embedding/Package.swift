// swift-tools-version:6.0
// A Swift tool that embeds msense through its public library product only.
import PackageDescription

let package = Package(
    name: "EmbedDemo",
    dependencies: [.package(name: "msense", path: "../..")],
    targets: [
        .executableTarget(name: "EmbedDemo", dependencies: [.product(name: "MSense", package: "msense")]),
    ]
)
