/// The SplitMix64 generator (Steele, Lea and Flood 2014): small, seeded and
/// easy to reproduce in another language, which the recorded case orders
/// and bootstrap intervals need.
public struct SplitMix64: RandomNumberGenerator, Sendable {
  private var state: UInt64

  /// Creates a generator from a seed.
  public init(seed: UInt64) {
    state = seed
  }

  /// Returns the next 64 random bits.
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// Returns an index in 0..<count as next() modulo count; the bias is
  /// below 1e-15 for the counts of a reader study.
  public mutating func index(below count: Int) -> Int {
    precondition(count > 0, "index(below:) needs a positive count")
    return Int(next() % UInt64(count))
  }

  /// Shuffles with Fisher-Yates, drawing j from 0...i for i from the last
  /// index down to 1.
  public mutating func shuffle<T>(_ items: inout [T]) {
    guard items.count > 1 else { return }
    for i in stride(from: items.count - 1, to: 0, by: -1) {
      let j = index(below: i + 1)
      items.swapAt(i, j)
    }
  }
}
