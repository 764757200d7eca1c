import Dispatch

/// Splits a loop over `count` items into one contiguous range per thread.
enum Parallel {
  /// The number of threads the elementwise passes use: OpenBLAS's count
  /// at first use, then whatever `BLASKernel.configureThreads` sets.
  nonisolated(unsafe) static var threads = BLAS.threadCount

  /// Runs `body` on ranges that cover `0..<count`, in parallel when the
  /// work is large enough to pay for the dispatch (`count * cost` above
  /// about 64K operations).
  static func ranges(
    _ count: Int, cost: Int = 1, _ body: (Range<Int>) -> Void
  ) {
    let parts = min(threads, max(1, count * cost / 65_536), count)
    if parts <= 1 {
      body(0..<count)
      return
    }
    // The parts write disjoint ranges, which is what makes sharing the
    // body across threads safe.
    withoutActuallyEscaping(body) { escapable in
      let shared = SharedBody(run: escapable)
      DispatchQueue.concurrentPerform(iterations: parts) { part in
        let start = count * part / parts
        let end = count * (part + 1) / parts
        shared.run(start..<end)
      }
    }
  }

  private struct SharedBody: @unchecked Sendable {
    let run: (Range<Int>) -> Void
  }
}
