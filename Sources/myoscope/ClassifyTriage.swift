import Foundation
import MyoNeural

/// The triage mode of `classify`: JSON lines, one per case, appended to a
/// file that a rerun resumes, for one shard of the cases, with parallel
/// jobs.
enum ClassifyTriage {
  /// The usage lines that `classify --help` adds for triage, after a
  /// blank line.
  static let usage = "\n" + """

    triage at scale (any of these options selects JSON-lines output):
      --output FILE   append one JSON line per case to FILE; a rerun skips
                      the cases FILE already holds, so an interrupted run
                      resumes without duplicates
      --jsonl         one JSON line per case on stdout (no resuming)
      --shard K/N     classify only shard K of N (1 <= K <= N): the cases
                      whose name hashes to it, so N jobs of a scheduler's
                      array cover every case exactly once
      --jobs N        classify N cases at a time, each job with its own
                      copy of the network (default 1); with N > 1 each
                      job's BLAS calls use one thread unless --threads
                      says otherwise
    A summary line with the cases per minute goes to stderr.
    """

  /// Runs the triage when the arguments ask for it; returns nil (and
  /// consumes nothing) when they do not.
  static func runIfRequested(_ arguments: inout Arguments) throws -> Int32? {
    let output = try arguments.option("--output")
    let lines = arguments.flag("--jsonl")
    let shardText = try arguments.option("--shard")
    let jobsText = try arguments.option("--jobs")
    guard output != nil || lines || shardText != nil || jobsText != nil else { return nil }

    let modelPath = try ModelBundlePath.resolve(arguments.option("--model"))
    let threads = try BenchCommand.threadCount(try arguments.option("--threads"))
    let quiet = arguments.flag("--quiet")
    var jobs = 1
    if let jobsText {
      guard let value = Int(jobsText), (1...256).contains(value) else {
        throw UsageError.invalidValue(jobsText, option: "--jobs", expected: "an integer from 1 to 256")
      }
      jobs = value
    }
    let shard = try shardText.map { try ShardSpec(parsing: $0) } ?? .all
    let paths = try arguments.positionals()
    guard !paths.isEmpty else {
      throw UsageError.missingArgument("PATH", command: "classify")
    }
    BLASKernel.configureThreads(threads ?? (jobs > 1 ? 1 : nil))

    var cases: [TriageCase] = []
    for path in paths { cases += try TriageCase.cases(at: path) }
    let sink = try TriageOutput(path: output)
    if sink.droppedBytes > 0, let output {
      TrainCommand.standardError(
        "classify: dropped a partial last line of \(sink.droppedBytes) bytes from \(output)")
    }
    // On a terminal the progress line is rewritten in place. Into a file,
    // such as a batch job's log, one line is written per tenth of the
    // cases, so the log stays short and readable.
    let interactive = isatty(FileHandle.standardError.fileDescriptor) != 0
    let summary = try TriageRunner.run(
      cases: cases, shard: shard, output: sink, jobs: jobs,
      makeWorker: { try TriageRunner.classifierWorker(bundle: modelPath) },
      progress: { summary in
        guard !quiet else { return }
        let pending = summary.inShard - summary.skipped
        let text = String(
          format: "classify: %d/%d cases, %.1f per minute", summary.done, pending,
          summary.casesPerMinute)
        if interactive {
          FileHandle.standardError.write(Data(("\r" + text + "  ").utf8))
        } else if summary.done * 10 / max(pending, 1)
          != (summary.done - 1) * 10 / max(pending, 1)
        {
          TrainCommand.standardError(text)
        }
      })
    if !quiet && interactive { FileHandle.standardError.write(Data("\n".utf8)) }
    TrainCommand.standardError(
      String(
        format: "classify: shard %@: %d cases listed, %d in the shard, %d already done,"
          + " %d classified (%d failed) in %.1f s, %.1f cases per minute with %d %@",
        shard.description, summary.listed, summary.inShard, summary.skipped, summary.done,
        summary.failed, summary.seconds, summary.casesPerMinute, jobs,
        jobs == 1 ? "job" : "jobs"))
    return summary.failed > 0 ? ExitStatus.failure : ExitStatus.success
  }
}
