import LabgenCLI

/// The executable is only this: all behaviour lives in the testable LabgenCLI target.
@main
enum EntryPoint {
    static func main() async {
        await Labgen.main(nil)
    }
}
