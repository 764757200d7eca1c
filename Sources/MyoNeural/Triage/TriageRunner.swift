import Dispatch
import Foundation
import MyoImaging

/// One case to triage.
public struct TriageCase: Sendable {
  /// The case name.
  public var name: String
  /// The case folder or file.
  public var path: String
  /// The case as the case library found it.
  public var entry: CaseEntry

  /// Creates a case from a case library entry.
  public init(entry: CaseEntry) {
    name = entry.name
    path = entry.path
    self.entry = entry
  }

  /// Lists the cases under a folder, as the viewer does.
  public static func cases(at root: String) throws -> [TriageCase] {
    try CaseLibrary.cases(at: root).map(TriageCase.init(entry:))
  }
}

/// Counts of a triage run.
public struct TriageSummary: Sendable, Equatable {
  /// Cases listed.
  public var listed = 0
  /// Cases in this shard.
  public var inShard = 0
  /// Cases of the shard skipped because the output already held them.
  public var skipped = 0
  /// Cases classified in this run.
  public var done = 0
  /// Of those, cases whose record is an error.
  public var failed = 0
  /// Wall-clock seconds of the run.
  public var seconds = 0.0

  /// Cases classified per minute of wall-clock time.
  public var casesPerMinute: Double { seconds > 0 ? Double(done) / seconds * 60 : 0 }
}

/// Classifies the cases of one shard that the output does not hold yet,
/// with `jobs` workers in parallel, appending one record per case.
public enum TriageRunner {
  /// The work of one worker thread: classifies a case and returns its
  /// record (an error record when the case fails).
  public typealias Worker = (TriageCase) -> TriageRecord

  /// Runs the triage. `makeWorker` runs once per job, on that job's
  /// thread, so that each job can load its own classifier; `shouldStop`
  /// is polled before each case, and a run that stops leaves the output
  /// ready to resume.
  public static func run(
    cases: [TriageCase], shard: ShardSpec, output: TriageOutput, jobs: Int,
    makeWorker: @escaping @Sendable () throws -> Worker,
    shouldStop: @escaping @Sendable () -> Bool = { false },
    progress: @escaping @Sendable (TriageSummary) -> Void = { _ in }
  ) throws -> TriageSummary {
    guard jobs >= 1 else {
      throw TrainingError.invalidOption(name: "--jobs", value: "\(jobs)", expected: "1 or more")
    }
    let start = Date()
    let inShard = cases.filter { shard.contains($0.name) }
    let pending = inShard.filter { !output.contains($0.name) }
    let state = RunState(
      summary: TriageSummary(
        listed: cases.count, inShard: inShard.count,
        skipped: inShard.count - pending.count))

    guard !pending.isEmpty else {
      var summary = state.summary
      summary.seconds = Date().timeIntervalSince(start)
      return summary
    }
    let workers = min(jobs, pending.count)
    DispatchQueue.concurrentPerform(iterations: workers) { _ in
      let worker: Worker
      do {
        worker = try makeWorker()
      } catch {
        state.fail(error)
        return
      }
      while !shouldStop(), !state.hasFailed, let next = state.take(pending) {
        let record = worker(next)
        do {
          try output.append(record)
        } catch {
          state.fail(error)
          return
        }
        progress(state.finish(record, since: start))
      }
    }
    if let error = state.error { throw error }
    var summary = state.summary
    summary.seconds = Date().timeIntervalSince(start)
    return summary
  }

  /// The shared queue position and counts, behind a lock.
  final class RunState: @unchecked Sendable {
    private let lock = NSLock()
    private var nextIndex = 0
    private(set) var summary: TriageSummary
    private(set) var error: (any Error)?

    init(summary: TriageSummary) { self.summary = summary }

    var hasFailed: Bool {
      lock.lock()
      defer { lock.unlock() }
      return error != nil
    }

    func take(_ cases: [TriageCase]) -> TriageCase? {
      lock.lock()
      defer { lock.unlock() }
      guard nextIndex < cases.count else { return nil }
      nextIndex += 1
      return cases[nextIndex - 1]
    }

    func finish(_ record: TriageRecord, since start: Date) -> TriageSummary {
      lock.lock()
      defer { lock.unlock() }
      summary.done += 1
      if record.error != nil { summary.failed += 1 }
      summary.seconds = Date().timeIntervalSince(start)
      return summary
    }

    func fail(_ error: any Error) {
      lock.lock()
      defer { lock.unlock() }
      if self.error == nil { self.error = error }
    }
  }
}
