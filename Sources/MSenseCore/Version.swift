/// The msense release this library belongs to, shown by `msense --version`.
public enum MSenseVersion {
    /// Semantic version of the language and runtime.
    public static let string = "0.1.0"
}
