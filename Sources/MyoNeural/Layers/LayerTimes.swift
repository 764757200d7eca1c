import Dispatch
import Foundation

/// Per-layer wall time of the convolutions, for `myoscope bench
/// --layers`. Recording is off until `start` is called, and while it is
/// off a layer only checks a flag.
public enum LayerTimes {
  /// One layer's totals.
  public struct Entry: Sendable {
    public let name: String
    /// Seconds summed over every recorded call. When a batch runs in
    /// chunks on several threads, the threads' times add up.
    public var seconds: Double
    /// Calls recorded.
    public var calls: Int
    /// Floating-point operations for one image, two per multiply-add of
    /// the direct method.
    public let operations: Int
  }

  private static let lock = NSLock()
  nonisolated(unsafe) private static var recording = false
  nonisolated(unsafe) private static var entries: [Entry] = []
  nonisolated(unsafe) private static var index: [String: Int] = [:]

  /// Clears the totals and starts recording.
  public static func start() {
    lock.lock()
    entries = []
    index = [:]
    recording = true
    lock.unlock()
  }

  /// Stops recording and returns the totals in the order the layers
  /// first ran.
  public static func stop() -> [Entry] {
    lock.lock()
    defer { lock.unlock() }
    recording = false
    return entries
  }

  /// Runs `body`, adding its time to layer `name` while recording.
  @inline(__always)
  static func measure(_ name: String, operations: @autoclosure () -> Int, _ body: () -> Void) {
    guard recording else {
      body()
      return
    }
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    lock.lock()
    if let slot = index[name] {
      entries[slot].seconds += seconds
      entries[slot].calls += 1
    } else {
      index[name] = entries.count
      entries.append(
        Entry(name: name, seconds: seconds, calls: 1, operations: operations()))
    }
    lock.unlock()
  }
}
