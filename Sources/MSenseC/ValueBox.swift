import Foundation
import MSense

/// What an `msense_value *` stands for: a script value, plus the C views of it handed out so
/// far (strings, the matrix's elements, a trace's columns), which live as long as the handle.
///
/// Lists and records are shared with the script (reference semantics); reading them while their
/// interpreter runs on another thread is the host's race to avoid, as the header says. The
/// caches are filled under `lock`, so one handle may be read from several threads.
final class ValueBox: @unchecked Sendable {
    // Safety: `value` is immutable; the caches are only touched under `lock`.
    let value: Value
    let lock = NSLock()
    private var texts: [String: CText] = [:]
    private var fieldNameTexts: [CText]?
    private var elements: UnsafeMutableBufferPointer<Double>?
    private var trace: (names: [CText], columns: [UnsafeMutableBufferPointer<Double>], rows: Int)?

    init(_ value: Value) { self.value = value }

    deinit {
        elements?.deallocate()
        for column in trace?.columns ?? [] { column.deallocate() }
    }

    /// A C string kept under `key` (one per kind of text: "display", "string", "type").
    func text(_ key: String, _ make: () -> String) -> CText {
        lock.lock(); defer { lock.unlock() }
        if let cached = texts[key] { return cached }
        let made = CText(make())
        texts[key] = made
        return made
    }

    /// Names of a record's fields or an object's readable fields, in order.
    var fieldNames: [String] {
        switch value {
        case .record: return value.recordValue?.map(\.name) ?? []
        case .object(let object): return object.fieldNames
        default: return []
        }
    }

    /// Field name `index` as a C string.
    func fieldName(_ index: Int) -> CText? {
        lock.lock(); defer { lock.unlock() }
        if fieldNameTexts == nil { fieldNameTexts = fieldNames.map(CText.init) }
        guard let names = fieldNameTexts, index >= 0, index < names.count else { return nil }
        return names[index]
    }

    /// The matrix's elements, row-major, copied once.
    func matrixElements() -> (UnsafePointer<Double>, rows: Int, cols: Int)? {
        guard let matrix = value.matrixValue else { return nil }
        lock.lock(); defer { lock.unlock() }
        if elements == nil {
            let buffer = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(1, matrix.count))
            matrix.withUnsafeElements { source in _ = buffer.initialize(from: source) }
            elements = buffer
        }
        guard let base = elements?.baseAddress else { return nil }
        return (UnsafePointer(base), matrix.rows, matrix.cols)
    }

    /// The n-dimensional array's shape and elements, row-major, copied once.
    func arrayElements() -> (UnsafePointer<Double>, shape: [Int])? {
        guard let array = value.arrayValue else { return nil }
        lock.lock(); defer { lock.unlock() }
        if elements == nil {
            let buffer = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(1, array.count))
            _ = buffer.initialize(from: array.elements)
            elements = buffer
        }
        guard let base = elements?.baseAddress else { return nil }
        return (UnsafePointer(base), array.shape)
    }

    /// The trace's column names and columns, copied once.
    func traceColumns() -> (names: [CText], columns: [UnsafeMutableBufferPointer<Double>], rows: Int)? {
        lock.lock(); defer { lock.unlock() }
        if trace == nil, let columns = value.traceColumns {
            let buffers = columns.map { column -> UnsafeMutableBufferPointer<Double> in
                let buffer = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(1, column.values.count))
                _ = buffer.initialize(from: column.values)
                return buffer
            }
            trace = (columns.map { CText($0.name) }, buffers, columns.first?.values.count ?? 0)
        }
        return trace
    }
}
