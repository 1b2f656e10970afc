import FuzzDriver
import MSenseLSP

/// libFuzzer entry point for the language server: each input is opened as a document and
/// queried with every method at positions taken from the input, then sent as a raw message.
/// A crash, trap, hang or unanswered request is a finding (the server must survive any
/// document and message and answer every request).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var replies = 0
    let server = LanguageServer(send: { _ in replies += 1 })
    func send(_ json: String) { server.receive(Array(json.utf8)) }
    send(#"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{}}"#)
    let text = String(decoding: bytes, as: UTF8.self)
    var escaped = ""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": escaped += "\\\""
        case "\\": escaped += "\\\\"
        case _ where scalar.value < 0x20: escaped += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
        default: escaped.unicodeScalars.append(scalar)
        }
    }
    let document = #"{"uri":"file:///fuzz/input.msense"}"#
    send(#"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///fuzz/input.msense","version":1,"text":"\#(escaped)"}}}"#)
    let methods = ["completion", "hover", "signatureHelp", "definition", "documentSymbol", "prepareRename", "rename",
                   "semanticTokens/full", "formatting"]
    for (i, method) in methods.enumerated() {
        let line = bytes.isEmpty ? 0 : Int(bytes[i % bytes.count]) % 40
        let character = bytes.isEmpty ? 0 : Int(bytes[(i * 7 + 3) % bytes.count]) % 80
        send(#"{"jsonrpc":"2.0","id":\#(i + 1),"method":"textDocument/\#(method)","params":{"textDocument":\#(document),"position":{"line":\#(line),"character":\#(character)},"newName":"x1","options":{"tabSize":4,"insertSpaces":true}}}"#)
    }
    // initialize, the diagnostics of didOpen and one reply per request.
    precondition(replies == methods.count + 2, "a request went unanswered")
    server.receive(bytes)
    return 0
}

/// The executable's entry point: libFuzzer, calling `fuzzOneInput` for every input.
@_cdecl("EditorFuzzer_main")
func fuzzerMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runLibFuzzer(argc, argv) { data, size in
        guard let data else { return 0 }
        return fuzzOneInput(data, size)
    }
}
