import Foundation
import MSense

// The host's sandbox for the scripts an interpreter runs: msense_set_file_access and
// msense_set_limits (see include/msense.h), the C form of `Interpreter.fileAccess` and
// `Interpreter.limits` (docs/embedding.md, "Sandbox and limits").

@_cdecl("msense_set_file_access")
public func msense_set_file_access(_ handle: OpaquePointer?, _ canRead: Int32, _ canWrite: Int32,
                                   _ root: UnsafePointer<CChar>?) -> Int32 {
    let function = "msense_set_file_access"
    guard let box = HandleTable.shared.lookup(handle, as: InterpreterBox.self) else {
        return Misuse.report("\(function): not a live interpreter handle", MSenseStatus.misuse)
    }
    guard let read = flag(canRead), let write = flag(canWrite) else {
        return Misuse.report("\(function): can_read and can_write must be 0 or 1 (got \(canRead), \(canWrite))", MSenseStatus.misuse)
    }
    var folder: URL?
    if root != nil {
        guard let path = CInput.string(root), !path.isEmpty else {
            return Misuse.report("\(function): root is empty or not valid UTF-8", MSenseStatus.misuse)
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            return Misuse.report("\(function): root '\(path)' is not an existing directory", MSenseStatus.misuse)
        }
        folder = URL(fileURLWithPath: path, isDirectory: true)
    }
    return box.exclusive(function) {
        box.interpreter.fileAccess = FileAccess(canRead: read, canWrite: write, root: folder)
        return MSenseStatus.ok
    }
}

@_cdecl("msense_set_limits")
public func msense_set_limits(_ handle: OpaquePointer?, _ steps: Int64, _ memoryBytes: Int64) -> Int32 {
    let function = "msense_set_limits"
    guard let box = HandleTable.shared.lookup(handle, as: InterpreterBox.self) else {
        return Misuse.report("\(function): not a live interpreter handle", MSenseStatus.misuse)
    }
    guard steps >= unlimited, memoryBytes >= unlimited else {
        return Misuse.report("\(function): a limit is a count ≥ 0, or MSENSE_UNLIMITED (-1) (got \(steps), \(memoryBytes))", MSenseStatus.misuse)
    }
    return box.exclusive(function) {
        box.interpreter.limits = Limits(steps: steps == unlimited ? nil : Int(steps),
                                        memoryBytes: memoryBytes == unlimited ? nil : Int(memoryBytes))
        return MSenseStatus.ok
    }
}

/// `MSENSE_UNLIMITED`: no limit.
private let unlimited: Int64 = -1

/// A C flag (0 or 1) as a Bool; nil for any other value.
private func flag(_ value: Int32) -> Bool? {
    switch value {
    case 0: false
    case 1: true
    default: nil
    }
}
