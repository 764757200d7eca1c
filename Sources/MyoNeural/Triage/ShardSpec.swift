/// One shard of a cohort, `K/N`: the cases whose name hashes to K - 1
/// modulo N.
///
/// The assignment depends only on the case name (FNV-1a 64-bit of its
/// UTF-8 bytes), not on the order or the number of cases listed, so N jobs
/// that list the same folder at different moments still cover every case
/// exactly once, and a case added later lands in one shard.
public struct ShardSpec: Sendable, Equatable, CustomStringConvertible {
  /// The shard, from 1.
  public var index: Int
  /// The number of shards.
  public var count: Int

  /// The whole cohort as one shard.
  public static let all = ShardSpec(uncheckedIndex: 1, count: 1)

  private init(uncheckedIndex index: Int, count: Int) {
    self.index = index
    self.count = count
  }

  /// Creates shard `index` of `count`, 1 <= index <= count.
  public init(index: Int, count: Int) throws {
    guard count >= 1, (1...count).contains(index) else {
      throw TrainingError.invalidOption(
        name: "--shard", value: "\(index)/\(count)", expected: "K/N with 1 <= K <= N")
    }
    self.init(uncheckedIndex: index, count: count)
  }

  /// Parses `K/N`. A Slurm array that numbers its tasks from 0 can pass
  /// `$((SLURM_ARRAY_TASK_ID + 1))/N`.
  public init(parsing text: String) throws {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
      throw TrainingError.invalidOption(
        name: "--shard", value: text, expected: "K/N with 1 <= K <= N, such as 2/4")
    }
    try self.init(index: index, count: count)
  }

  /// Whether a case belongs to this shard.
  public func contains(_ caseName: String) -> Bool {
    Self.shard(of: caseName, count: count) == index
  }

  /// The shard (from 1) that a case belongs to among `count`.
  public static func shard(of caseName: String, count: Int) -> Int {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in caseName.utf8 {
      hash ^= UInt64(byte)
      hash = hash &* 0x0000_0100_0000_01b3
    }
    return Int(hash % UInt64(count)) + 1
  }

  public var description: String { "\(index)/\(count)" }
}
