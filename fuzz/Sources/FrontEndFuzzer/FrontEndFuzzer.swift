import Dispatch
import FuzzDriver
import MSense

/// libFuzzer entry point: every input is checked (lexer, parser, resolver) and then run with a
/// small call-depth limit, no file access, step and memory limits and a 50 ms cancellation
/// timer, so that any crash, trap or hang found is the front end's or the evaluator's, never a
/// script's intended work. (The memory limit matters: building a 566 MB ensemble is not
/// interruptible and would take the run past libFuzzer's 5 s timeout.)
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let interpreter = Interpreter(output: { _ in }, maxCallDepth: 200)
    interpreter.fileAccess = .none
    interpreter.limits = Limits(steps: 1_000_000, memoryBytes: 256 << 20)
    _ = interpreter.check(bytes: bytes, path: "<fuzz>")
    let timer = DispatchSource.makeTimerSource(queue: .global())
    timer.schedule(deadline: .now() + .milliseconds(50))
    timer.setEventHandler { interpreter.cancel() }
    timer.resume()
    _ = try? interpreter.run(bytes: bytes, path: "<fuzz>")
    timer.cancel()
    return 0
}

/// The executable's entry point: libFuzzer, calling `fuzzOneInput` for every input.
@_cdecl("FrontEndFuzzer_main")
func fuzzerMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runLibFuzzer(argc, argv) { data, size in
        guard let data else { return 0 }
        return fuzzOneInput(data, size)
    }
}
