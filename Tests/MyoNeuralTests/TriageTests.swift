import Foundation
import Testing

@testable import MyoNeural

@Suite("Triage sharding")
struct TriageShardTests {
  @Test("four shards cover a thousand cases exactly once")
  func coverage() throws {
    let names = (0..<1000).map { String(format: "case-%04d", $0) }
    let shards = try (1...4).map { try ShardSpec(index: $0, count: 4) }
    var seen: [String: Int] = [:]
    for shard in shards {
      for name in names where shard.contains(name) { seen[name, default: 0] += 1 }
    }
    #expect(seen.count == 1000)
    #expect(seen.values.allSatisfy { $0 == 1 })
    // Every shard gets a fair share.
    for shard in shards {
      let count = names.filter(shard.contains).count
      #expect((200...300).contains(count), "shard \(shard) has \(count) cases")
    }
  }

  @Test("assignment ignores the listing order")
  func orderFree() throws {
    let names = (0..<50).map { "c\($0)" }
    let shard = try ShardSpec(parsing: "3/5")
    #expect(names.filter(shard.contains) == names.reversed().filter(shard.contains).reversed())
  }

  @Test("shard syntax", arguments: [
    ("1/1", true), ("4/4", true), ("0/4", false), ("5/4", false), ("2", false),
    ("a/4", false), ("1/0", false), ("1/4/2", false),
  ])
  func syntax(text: String, valid: Bool) {
    let parsed = try? ShardSpec(parsing: text)
    #expect((parsed != nil) == valid)
  }

  @Test("shard error names the value")
  func message() {
    do {
      _ = try ShardSpec(parsing: "5/4")
      Issue.record("no error for 5/4")
    } catch {
      #expect("\(error)" == "invalid value '5/4' for --shard: expected K/N with 1 <= K <= N")
    }
  }
}

@Suite("Triage resume", .serialized)
struct TriageResumeTests {
  /// Writes a bundle on the reduced backbone with a fixed random head.
  static func bundle(in folder: String) throws -> String {
    let config = TrainingFixtures.config
    let metadata = BundleMetadata(
      formatVersion: BundleMetadata.currentVersion, name: "triage-test", demoLabel: "test model",
      network: BundleMetadata.Network(
        architecture: "resnet50", variant: config.variant, baseWidth: config.baseWidth,
        batchNormEpsilon: config.batchNormEpsilon),
      backbone: BundleMetadata.Backbone(
        kind: "generated", generator: GeneratedWeights.generator, seed: 3, path: nil,
        sha256: nil, origin: nil),
      input: TrainingFixtures.input, classNames: ["other", "dystrophinopathy"],
      threshold: 0.5, caseRule: .mean, training: [:])
    let head = TrainableHead(inputs: config.featureChannels, hidden: [], seed: 2)
      .exported(
        mean: [Float](repeating: 0, count: config.featureChannels),
        std: [Float](repeating: 1, count: config.featureChannels))
    let path = folder + "/triage.safetensors"
    try ModelBundle(metadata: metadata, head: head, path: path).write(to: path)
    return path
  }

  static func records(_ path: String) throws -> [TriageRecord] {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    return try text.split(separator: "\n").map {
      try JSONDecoder().decode(TriageRecord.self, from: Data($0.utf8))
    }
  }

  @Test("interrupted run resumes without duplicates")
  func resume() throws {
    let folder = try TrainingFixtures.folder("triage")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    // The cases sit in their own root, apart from the bundle and output.
    let root = try TrainingFixtures.folder("triage-cases")
    defer { try? FileManager.default.removeItem(atPath: root) }
    _ = try TrainingFixtures.cohort(in: root, cases: 12, slices: 1)
    let bundle = try Self.bundle(in: folder)
    let cases = try TriageCase.cases(at: root)
    #expect(cases.count == 12)
    let outputPath = folder + "/out.jsonl"

    // First run: stops after five cases, as a killed job would.
    let counter = StopCounter()
    let first = try TriageRunner.run(
      cases: cases, shard: .all, output: try TriageOutput(path: outputPath), jobs: 2,
      makeWorker: { try TriageRunner.classifierWorker(bundle: bundle) },
      shouldStop: { counter.value >= 5 }, progress: { _ in counter.increment() })
    #expect((5...6).contains(first.done))

    // A partial line, as from a kill in the middle of a write.
    let handle = try #require(FileHandle(forWritingAtPath: outputPath))
    try handle.seekToEnd()
    try handle.write(contentsOf: Data("{\"case\":\"case-0".utf8))
    try handle.close()

    let output = try TriageOutput(path: outputPath)
    #expect(output.completed.count == first.done)
    #expect(output.droppedBytes == 15)
    let second = try TriageRunner.run(
      cases: cases, shard: .all, output: output, jobs: 2,
      makeWorker: { try TriageRunner.classifierWorker(bundle: bundle) })
    #expect(second.skipped == first.done)
    #expect(second.done == 12 - first.done)

    let records = try Self.records(outputPath)
    #expect(records.count == 12)
    #expect(Set(records.map(\.caseName)) == Set(cases.map(\.name)))
    #expect(records.allSatisfy { $0.error == nil })
    #expect(records.allSatisfy { $0.probability != nil })
    #expect(records.allSatisfy { $0.demo == "test model" })
    #expect(records.allSatisfy { $0.slices.count == 1 })

    // A third run has nothing left to do.
    let third = try TriageRunner.run(
      cases: cases, shard: .all, output: try TriageOutput(path: outputPath), jobs: 1,
      makeWorker: { try TriageRunner.classifierWorker(bundle: bundle) })
    #expect(third.done == 0)
    #expect(third.skipped == 12)
  }

  @Test("parallel jobs match one job")
  func parallel() throws {
    let folder = try TrainingFixtures.folder("jobs")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let root = try TrainingFixtures.folder("jobs-cases")
    defer { try? FileManager.default.removeItem(atPath: root) }
    _ = try TrainingFixtures.cohort(in: root, cases: 6, slices: 2)
    let bundle = try Self.bundle(in: folder)
    let cases = try TriageCase.cases(at: root)
    var results: [[String: Double]] = []
    for jobs in [1, 3] {
      let path = folder + "/out-\(jobs).jsonl"
      _ = try TriageRunner.run(
        cases: cases, shard: .all, output: try TriageOutput(path: path), jobs: jobs,
        makeWorker: { try TriageRunner.classifierWorker(bundle: bundle) })
      var byCase: [String: Double] = [:]
      for record in try Self.records(path) { byCase[record.caseName] = record.probability }
      results.append(byCase)
    }
    #expect(results[0].count == 6)
    #expect(results[0] == results[1])
  }

  @Test("corrupt middle line is reported")
  func corrupt() throws {
    let folder = try TrainingFixtures.folder("corrupt")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = folder + "/out.jsonl"
    try "{\"case\":\"a\"}\nnot json\n{\"case\":\"b\"}\n".write(
      toFile: path, atomically: true, encoding: .utf8)
    do {
      _ = try TriageOutput(path: path)
      Issue.record("no error for a corrupt line")
    } catch {
      #expect(
        "\(error)"
          == "\(path): cannot use the output file: line 2 is not a triage record;"
          + " remove it or write to another file")
    }
  }
}

/// A thread-safe counter.
private final class StopCounter: @unchecked Sendable {
  private let lock = NSLock()
  private var count = 0
  var value: Int {
    lock.lock()
    defer { lock.unlock() }
    return count
  }
  func increment() {
    lock.lock()
    count += 1
    lock.unlock()
  }
}
