import Foundation
import Testing

@Suite(
  "SampleCases",
  .enabled(if: TestPaths.binary != nil, "needs the release binary (run scripts/test)"))
struct SampleCasesTests {
  /// Three cases, one of each format, written again with the documented
  /// command: the committed files must be the generator's output, byte
  /// for byte, so that a change of the phantom regenerates SampleCases.
  @Test("matches its documented command")
  func matchesGenerator() throws {
    let binary = try #require(TestPaths.binary)
    let folder = NSTemporaryDirectory() + "myoscope-samples-\(UUID().uuidString.prefix(8))"
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let cases = ["PH0001", "PH0002", "PH0003"]
    _ = try Subprocess.run([
      binary, "phantom", "--cases", "24", "--seed", "2026", "--size", "256", "--slices", "6",
      "--out", folder, "--only", cases.joined(separator: ","),
    ])
    let committed = TestPaths.packageRoot + "/SampleCases"
    for name in cases {
      let files = try FileManager.default.contentsOfDirectory(atPath: committed + "/" + name)
      #expect(files.count >= 4, "\(name): \(files)")
      for file in files.sorted() {
        let expected = FileManager.default.contents(atPath: "\(committed)/\(name)/\(file)")
        let written = FileManager.default.contents(atPath: "\(folder)/\(name)/\(file)")
        #expect(written != nil, "\(name)/\(file) was not written")
        #expect(written == expected, "\(name)/\(file) differs from the generator's output")
      }
    }
  }
}
