/// The fixed part of a frame: its size and the frame it was created in.
struct FrameHeader {
    let size: Int
    /// The frame the function was created in (closure environment), or nil at the top.
    let parent: Frame?
}

/// The local variables of one function call (or of one top-level chunk).
///
/// One allocation holds the header and the slots (a `ManagedBuffer`), and compiled code reads
/// and writes slots through a pointer, avoiding the dynamic exclusivity checks Swift performs on
/// class-stored arrays. Slot indices come from the resolver, which also sizes the frame, so every
/// access is in bounds by construction. A hidden last slot holds the value of `return`.
final class Frame: ManagedBuffer<FrameHeader, Value> {
    /// A frame of `size` variable slots (all nil) plus the hidden return slot.
    static func make(size: Int, parent: Frame?) -> Frame {
        let buffer = Frame.create(minimumCapacity: size + 1) { _ in FrameHeader(size: size, parent: parent) }
        let frame = unsafeDowncast(buffer, to: Frame.self)
        frame.withUnsafeMutablePointerToElements { $0.initialize(repeating: .nil, count: size + 1) }
        return frame
    }

    deinit {
        let count = header.size + 1
        _ = withUnsafeMutablePointerToElements { $0.deinitialize(count: count) }
    }

    /// The slots; valid while the frame is alive.
    @inline(__always)
    var slots: UnsafeMutablePointer<Value> { withUnsafeMutablePointerToElements { $0 } }

    /// The enclosing frame.
    var parent: Frame? { header.parent }

    /// `value` as it is stored in one of this frame's variables. A function created in this
    /// frame is stored without its environment: the frame holding a function that holds the
    /// frame would be a reference cycle, and the frame (with every value in it) would never be
    /// freed. ``recall(_:)`` gives the environment back when the variable is read, so scripts
    /// cannot tell the difference.
    @inline(__always)
    func keep(_ value: Value) -> Value {
        if case .function(let function) = value, function.captured === self {
            return .function(ScriptFunction(code: function.code, captured: nil))
        }
        return value
    }

    /// `value` as read from one of this frame's variables: the inverse of ``keep(_:)``.
    @inline(__always)
    func recall(_ value: Value) -> Value {
        if case .function(let function) = value, function.captured == nil {
            return .function(ScriptFunction(code: function.code, captured: self))
        }
        return value
    }

    /// Sets the given slots to nil: at the end of a call, the variables no function made in it
    /// mentions (``FunctionDecl/releasedAtReturn``), which nothing can read any more.
    func release(_ released: [Int]) {
        let slots = self.slots
        for i in released { slots[i] = .nil }
    }

    /// The frame `depth` levels out along the environment chain.
    func ancestor(_ depth: Int) -> Frame? {
        var frame: Frame? = self
        for _ in 0..<depth { frame = frame?.parent }
        return frame
    }
}

/// What a statement tells the enclosing block to do next.
enum Flow {
    case normal, breakLoop, continueLoop, returned
}

/// A compiled expression: evaluates in a frame.
typealias Eval = (Frame) throws -> Value
/// A compiled statement: runs in a frame and reports how control continues.
typealias Exec = (Frame) throws -> Flow

/// The storage of one global variable. Cells never move, so compiled code captures a pointer.
struct GlobalCell {
    var value: Value
    /// False until the global's `let`/`fn` has run (reading it earlier is an error).
    var assigned: Bool
}

/// All global variables of an interpreter, indexed by the numbers the resolver hands out.
final class Globals {
    private(set) var cells: [UnsafeMutablePointer<GlobalCell>] = []

    /// Makes sure cells `0..<count` exist.
    func grow(to count: Int) {
        while cells.count < count {
            let cell = UnsafeMutablePointer<GlobalCell>.allocate(capacity: 1)
            cell.initialize(to: GlobalCell(value: .nil, assigned: false))
            cells.append(cell)
        }
    }

    deinit {
        for cell in cells {
            cell.deinitialize(count: 1)
            cell.deallocate()
        }
    }
}
