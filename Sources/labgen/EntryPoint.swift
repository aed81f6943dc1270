import CProcessStart
import LabgenCLI

/// The executable is only this: all behaviour lives in the testable LabgenCLI target.
@main
enum EntryPoint {
    static func main() async {
        labgen_process_start_linked()
        await Labgen.main(nil)
    }
}
