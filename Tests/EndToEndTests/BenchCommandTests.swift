import Foundation
import Testing

@Suite(
  "bench command",
  .enabled(if: TestPaths.binary != nil, "needs the release binary (run scripts/test)"))
struct BenchCommandTests {
  /// Runs `myoscope bench` with MYOSCOPE_KERNELS set to `kernels` (or
  /// unset) on small 64 x 64 inputs and returns its output.
  static func bench(_ arguments: [String], kernels: String?) throws -> (text: String, status: Int) {
    let environment = kernels.map { ["env", "MYOSCOPE_KERNELS=\($0)"] } ?? ["env"]
    let binary = try #require(TestPaths.binary)
    let output = try Subprocess.run(
      environment + [
        "sh", "-c", "\"$@\"; echo \"exit=$?\"", "sh", binary, "bench",
        "--size", "64", "--runs", "1",
      ] + arguments)
    let lines = output.split(separator: "\n")
    let status = lines.last.flatMap { Int($0.dropFirst("exit=".count)) } ?? -1
    return (lines.dropLast().joined(separator: "\n"), status)
  }

  @Test("layer times for every convolution", arguments: [nil, "openblas"])
  func layers(kernels: String?) throws {
    let (text, status) = try Self.bench(
      ["--batch", "1,6", "--layers"], kernels: kernels)
    #expect(status == 0, "\(text)")
    let lines = text.split(separator: "\n").map(String.init)

    let expected =
      kernels == "openblas"
      ? "convolutions: OpenBLAS SGEMM on im2col tiles" : "convolutions: "
    #expect(lines.contains { $0.hasPrefix(expected) }, "\(text)")
    #expect(lines.contains { $0.hasPrefix("batch   1: median ") }, "\(text)")
    #expect(lines.contains { $0.hasPrefix("batch   6: median ") }, "\(text)")

    // 53 convolutions per batch size, each with a positive time and rate.
    let layerLines = lines.filter {
      $0.hasPrefix("  conv1 ") || $0.hasPrefix("  layer")
    }
    #expect(layerLines.count == 2 * 53, "\(text)")
    for line in layerLines {
      let fields = line.split(separator: " ")
      let milliseconds = try #require(Double(fields[1]), "\(line)")
      let rate = try #require(Double(fields[3]), "\(line)")
      #expect(milliseconds > 0, "\(line)")
      #expect(rate > 0, "\(line)")
    }
    let stages = lines.filter { $0.hasPrefix("  by stage (ms per image): ") }
    #expect(stages.count == 2, "\(text)")
    for stage in ["stem ", "layer1 ", "layer2 ", "layer3 ", "layer4 "] {
      #expect(stages.allSatisfy { $0.contains(stage) }, "\(text)")
    }
  }

  @Test("invalid kernel choice is named")
  func unknownKernels() throws {
    let (text, status) = try Self.bench(["--batch", "1"], kernels: "blas\u{1B}[2J")
    #expect(status == 0, "\(text)")
    #expect(
      text.contains(
        "myoscope: invalid MYOSCOPE_KERNELS value \"blas\\u{1B}[2J\"; set it to"
          + " openblas or unset it (using the default)"), "\(text)")
    #expect(!text.contains("\u{1B}"), "\(text)")
  }
}
