import Foundation

/// Every live C handle (`msense_interpreter *`, `msense_value *`, `msense_call *`) and the
/// object it stands for.
///
/// A handle is a number dressed as a pointer, never an address: the library looks it up here
/// and never dereferences what the host passes, so a null, stale, freed or forged handle is
/// reported as a misuse instead of crashing. Numbers are not reused, so a freed handle stays
/// invalid for the life of the process. All access is under one lock (handles may be used
/// from several threads, e.g. `msense_cancel`).
final class HandleTable: @unchecked Sendable {
    // Safety: `objects` and `next` are only touched under `lock`.
    static let shared = HandleTable()

    private let lock = NSLock()
    private var objects: [UInt: AnyObject] = [:]
    /// Handles are multiples of 16 from 0x10000, so small integers and null are never handles.
    private var next: UInt = 0x10000

    /// A new handle for `object` (the table keeps it alive until `remove`).
    func insert(_ object: AnyObject) -> OpaquePointer {
        lock.lock(); defer { lock.unlock() }
        let key = next
        next += 16
        objects[key] = object
        return OpaquePointer(bitPattern: key)!  // key ≥ 0x10000, never null
    }

    /// The object behind `handle` when it is live and of type `T`.
    func lookup<T: AnyObject>(_ handle: OpaquePointer?, as type: T.Type) -> T? {
        guard let handle else { return nil }
        lock.lock(); defer { lock.unlock() }
        return objects[UInt(bitPattern: handle)] as? T
    }

    /// Forgets `handle` and returns its object, when it is live and of type `T`.
    func remove<T: AnyObject>(_ handle: OpaquePointer?, as type: T.Type) -> T? {
        guard let handle else { return nil }
        lock.lock(); defer { lock.unlock() }
        let key = UInt(bitPattern: handle)
        guard let object = objects[key] as? T else { return nil }
        objects[key] = nil
        return object
    }
}
