import Foundation
import Testing

/// `classify --output` with its standard error in a file, as in a batch
/// job's log: the progress comes as whole lines, one per tenth of the
/// cases, never as carriage-return updates.
@Suite(
  "triage log",
  .enabled(if: TestPaths.binary != nil, "needs the release binary (run scripts/test)"))
struct TriageLogTests {
  @Test("progress lines in a log file")
  func progressLinesInLogFile() throws {
    let binary = try #require(TestPaths.binary)
    let folder = NSTemporaryDirectory() + "myoscope-triage-log-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }

    // 40 small cases and a reduced network (base width 4, 64-pixel
    // input); the log does not depend on the model's quality.
    let script = """
      cd "$0" || exit 9
      "$1" phantom --out cases --cases 40 --seed 3 --format png --slices 1 \
        --size 64 >/dev/null 2>&1 || exit 10
      "$1" train --cohort cases/cases.csv -o model.safetensors --width 4 \
        --input-size 64 --epochs 2 --no-cache --quiet >/dev/null 2>&1 || exit 11
      "$1" classify cases --model model.safetensors --output results.jsonl \
        2> log.txt
      echo "exit=$?"
      """
    let output = try Subprocess.run(["sh", "-c", script, folder, binary])
    #expect(output.contains("exit=0"), "\(output)")

    let log = try String(contentsOfFile: folder + "/log.txt", encoding: .utf8)
    #expect(!log.contains("\r"))
    let lines = log.split(separator: "\n")
    let progress = lines.filter { $0.hasPrefix("classify: ") && $0.hasSuffix("per minute") }
    #expect(progress.count == 10, "\(log)")
    #expect(progress.last?.hasPrefix("classify: 40/40 cases") == true, "\(log)")
    #expect(lines.last?.hasSuffix("cases per minute with 1 job") == true, "\(log)")

    let results = try String(contentsOfFile: folder + "/results.jsonl", encoding: .utf8)
    #expect(results.split(separator: "\n").count == 40)
  }
}
