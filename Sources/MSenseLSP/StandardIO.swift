import Foundation

extension LanguageServer {
    /// Serves the client connected to standard input and output until it sends `exit` or
    /// closes the stream; returns the process exit code (0 after `shutdown` + `exit`, else 1).
    public static func serveStandardIO() -> Int32 {
        signal(SIGPIPE, SIG_IGN)  // a client that went away ends the loop through read, not a signal
        let server = LanguageServer(send: { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        })
        var stream = MessageStream()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while server.exitCode == nil {
            let count = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            for event in stream.append(chunk[0..<count]) {
                switch event {
                case .message(let body): server.receive(body)
                case .malformed(let reason): FileHandle.standardError.write(Data("msense lsp: dropped \(reason)\n".utf8))
                }
                if server.exitCode != nil { break }
            }
        }
        return server.exitCode ?? 1
    }
}
