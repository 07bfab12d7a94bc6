import DossierFuzzTargets
import Foundation

// Built two ways:
// - `make fuzz` builds with libFuzzer (`-sanitize=fuzzer`, FUZZING defined): `main` hands control
//   to libFuzzer's driver, which calls the target chosen by DOSSIER_FUZZ_TARGET with generated
//   inputs. (SwiftPM renames an executable's `main`, so libFuzzer's own `main` cannot be used.)
// - A normal build gives a replay tool: `dossier-fuzz TARGET FILE...` runs the target on files,
//   which is how a crash the fuzzer found is reproduced and how `make test` replays the corpus.

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

@main
struct Fuzz {
    static func main() {
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        let status = LLVMFuzzerRunDriver(&argc, &argv) { bytes, count in
            let target = ProcessInfo.processInfo.environment["DOSSIER_FUZZ_TARGET"] ?? "front-matter"
            FuzzTargets.run(target, bytes.map { Data(bytes: $0, count: count) } ?? Data())
            return 0
        }
        exit(status)
    }
}
#else
@main
struct Replay {
    static func main() throws {
        let arguments = CommandLine.arguments.dropFirst()
        guard let target = arguments.first, FuzzTargets.names.contains(target) else {
            FileHandle.standardError.write(Data("usage: dossier-fuzz \(FuzzTargets.names.joined(separator: "|")) FILE...\n".utf8))
            exit(64)
        }
        for path in arguments.dropFirst() {
            FuzzTargets.run(target, try Data(contentsOf: URL(fileURLWithPath: path)))
        }
    }
}
#endif
