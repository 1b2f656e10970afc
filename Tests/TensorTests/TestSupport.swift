import Foundation
@testable import Tensor

/// max |aᵢⱼ − bᵢⱼ| for equal-shaped matrices (∞ for different shapes).
func maxAbsDifference(_ a: Matrix, _ b: Matrix) -> Double {
    guard a.shape == b.shape else { return .infinity }
    return zip(a.elements, b.elements).reduce(0) { max($0, abs($1.0 - $1.1)) }
}

/// A fresh empty directory under the system temporary directory.
func makeTemporaryDirectory(_ label: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("msense-\(label)-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// The message of a thrown `TensorError`, or nil if `body` did not throw one.
func tensorErrorText(_ body: () throws -> Void) -> String? {
    do {
        try body()
        return nil
    } catch let error as TensorError {
        return error.description
    } catch {
        return "unexpected error type: \(error)"
    }
}
