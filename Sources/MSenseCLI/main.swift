import Foundation
import MSense

/// Entry point of the `msense` command line tool.
let arguments = Array(CommandLine.arguments.dropFirst())
if arguments == ["--version"] {
    print("msense \(MSenseVersion.string)")
    exit(0)
}
print("usage: msense FILE [ARG...] | msense --version")
exit(arguments.isEmpty || arguments == ["--help"] ? 0 : 2)
