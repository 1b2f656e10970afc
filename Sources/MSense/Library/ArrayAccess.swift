import MSenseCore
import Tensor

/// n-dimensional arrays (3-d and more) for hosts: what `load("A.npy")` gives a script, made from
/// a host's array (a NumPy stack of measurement matrices for `given_stack` or `explicit`) and
/// read back as shape and elements.
extension Value {
    /// The script value of `array`, an array of 3 or more dimensions (fewer are numbers, lists
    /// and matrices); `origin` names where it came from in its description and in errors about
    /// it (a file's path for `load`).
    public static func array(_ array: NDArray, origin: String) -> Value {
        .object(ArrayObject(array, path: origin))
    }

    /// The n-dimensional array the value holds, or nil when it holds none.
    public var arrayValue: NDArray? {
        guard case .object(let object as ArrayObject) = self else { return nil }
        return object.array
    }
}
