import Dispatch

/// Splits a loop over `count` items into one contiguous range per thread.
enum Parallel {
  /// The number of threads the layers split their work across:
  /// OpenBLAS's count at first use, then whatever
  /// `BLASKernel.configureThreads` sets. The first use also sets OpenBLAS
  /// to one thread, because the layers call it from each of their own
  /// threads and OpenBLAS's count is process-wide.
  nonisolated(unsafe) static var threads: Int = {
    let count = BLAS.threadCount
    BLAS.setThreadCount(1)
    return count
  }()

  /// Runs `body` on ranges that cover `0..<count`, in parallel when the
  /// work is large enough to pay for the dispatch (`count * cost` above
  /// about 64K operations).
  static func ranges(
    _ count: Int, cost: Int = 1, _ body: (Range<Int>) -> Void
  ) {
    let parts = min(threads, max(1, count * cost / 65_536), count)
    split(count, parts: parts, body)
  }

  /// Runs `body` on `parts` contiguous ranges that cover `0..<count`,
  /// each on its own thread when there are several.
  static func split(
    _ count: Int, parts: Int, _ body: (Range<Int>) -> Void
  ) {
    let parts = min(max(1, parts), max(1, count))
    if parts <= 1 {
      body(0..<count)
      return
    }
    lanes(parts) { part in
      body((count * part / parts)..<(count * (part + 1) / parts))
    }
  }

  /// Runs `body(lane)` for every lane in `0..<count` at once, one thread
  /// per lane, and returns when all have finished.
  static func lanes(_ count: Int, _ body: (Int) -> Void) {
    if count <= 1 {
      body(0)
      return
    }
    // The lanes write disjoint memory, which is what makes sharing the
    // body across threads safe.
    withoutActuallyEscaping(body) { escapable in
      let shared = SharedBody(run: escapable)
      DispatchQueue.concurrentPerform(iterations: count) { lane in
        shared.run(lane)
      }
    }
  }

  private struct SharedBody<Argument>: @unchecked Sendable {
    let run: (Argument) -> Void
  }
}
