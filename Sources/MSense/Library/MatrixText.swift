import MSenseCore
import Tensor

/// The size of a matrix written as text (`save` to .csv or .json), checked before it is built.
///
/// A matrix with no elements may still have 10¹⁵ rows or columns, and its text would then need
/// petabytes: a header of 10¹⁵ names, or 10¹⁵ empty rows. The text is taken as at most 25 bytes a
/// number (`-1.2345678901234567e-300, `) plus 4 a line, over the matrix's rows and, for CSV, its
/// header line; more than the memory the process can still get (`AvailableMemory`) is refused.
enum MatrixText {
    /// Throws unless the `format` ("csv" or "json") text of `m` can fit in memory.
    static func requireFits(_ m: Matrix, format: String) throws {
        let lines = Double(m.rows) + (format == "csv" ? 1 : 0)
        let bytes = lines * (25 * Double(m.cols) + 4)
        let needed = bytes < 0x1p62 ? Int(bytes) : nil
        if let problem = AvailableMemory.refusal(bytes: needed, for: "the .\(format) text of a \(m.rows)×\(m.cols) matrix") {
            throw ScriptError(problem, hint: "save it as .npy, which stores the numbers in binary")
        }
    }
}
