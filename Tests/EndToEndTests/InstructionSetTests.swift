import Foundation
import Testing

@Suite(
  "instruction set of the release binary",
  .enabled(if: TestPaths.binary != nil, "needs the release binary (run scripts/test)"))
struct InstructionSetTests {
  /// The convolution kernels are compiled for Haswell's instruction set
  /// and run only on a CPU that has it. Any other function that contains
  /// an AVX (VEX-encoded) instruction would stop myoscope with SIGILL on
  /// a CPU without AVX. One way that happens: a helper the compiler emits
  /// for a kernel type (such as a struct's copy function) is a weak
  /// symbol, and the linker keeps the kernels' copy for every module.
  @Test("AVX only inside the kernel module")
  func avxOnlyInKernels() throws {
    let binary = try #require(TestPaths.binary)
    let listing = try Subprocess.run(["objdump", "-d", "--no-show-raw-insn", binary])
    var function = ""
    var kernelFunctions = 0
    var offenders: [String: String] = [:]
    for line in listing.split(separator: "\n") {
      // A function starts with "0000000000089580 <name>:".
      if line.hasSuffix(">:"), let open = line.firstIndex(of: "<") {
        function = String(line[line.index(after: open)..<line.index(line.endIndex, offsetBy: -2)])
        if function.contains("10MyoKernels") { kernelFunctions += 1 }
        continue
      }
      guard !function.contains("10MyoKernels") else { continue }
      // An instruction line is "  address:<tab>mnemonic operands".
      let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
      guard fields.count >= 2 else { continue }
      let mnemonic = fields[1].split(separator: " ").first.map(String.init) ?? ""
      if mnemonic.hasPrefix("v") && mnemonic != "verr" && mnemonic != "verw" {
        offenders[function] = offenders[function] ?? mnemonic
      }
    }
    #expect(kernelFunctions > 0, "no kernel functions found in \(binary)")
    #expect(offenders.isEmpty, "AVX outside the kernels: \(offenders.prefix(10))")
  }
}
