/// The compiled form of a function declaration, shared by every closure made from it.
final class CompiledFunction {
    let name: String
    let signature: Signature
    /// Number of parameters (`signature.names.count`), kept apart for the call fast path.
    let parameterCount: Int
    /// Slots a call frame needs; parameters occupy the first `signature.names.count`.
    let frameSize: Int
    /// Default-value code per parameter (nil for required ones), run in the callee's frame.
    let defaults: [Eval?]
    /// Runs the body in a prepared frame and returns the function's result.
    let run: (Frame) throws -> Value

    init(name: String, signature: Signature, frameSize: Int, defaults: [Eval?], run: @escaping (Frame) throws -> Value) {
        self.name = name
        self.signature = signature
        self.parameterCount = signature.names.count
        self.frameSize = frameSize
        self.defaults = defaults
        self.run = run
    }
}
