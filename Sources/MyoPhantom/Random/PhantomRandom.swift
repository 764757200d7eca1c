import Foundation

/// A seeded pseudo-random generator, xoshiro256** (Blackman and Vigna,
/// 2018) with its state filled by SplitMix64.
///
/// The phantom draws every random number from this type, never from the
/// system generator or Swift's `random(in:)` helpers, whose algorithms
/// may change between Swift releases: the same seed must give the same
/// bytes on every run.
public struct PhantomRandom: RandomNumberGenerator, Sendable {
  private var s0: UInt64
  private var s1: UInt64
  private var s2: UInt64
  private var s3: UInt64

  /// Creates a generator whose state is four SplitMix64 outputs of `seed`.
  public init(seed: UInt64) {
    var mixer = seed
    s0 = PhantomRandom.splitMix(&mixer)
    s1 = PhantomRandom.splitMix(&mixer)
    s2 = PhantomRandom.splitMix(&mixer)
    s3 = PhantomRandom.splitMix(&mixer)
  }

  /// Advances a SplitMix64 state and returns its next output.
  public static func splitMix(_ state: inout UInt64) -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    return mix(state)
  }

  /// The SplitMix64 finaliser: a bijective 64-bit hash.
  public static func mix(_ value: UInt64) -> UInt64 {
    var z = value
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// Returns the next 64 random bits.
  public mutating func next() -> UInt64 {
    let result = rotate(s1 &* 5, 7) &* 9
    let t = s1 << 17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = rotate(s3, 45)
    return result
  }

  private func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 {
    (x << k) | (x >> (64 - k))
  }

  /// A generator for one named part of the work, independent of how many
  /// numbers this one has drawn.
  public func derived(_ stream: UInt64) -> PhantomRandom {
    PhantomRandom(seed: PhantomRandom.mix(s0 ^ PhantomRandom.mix(stream)))
  }

  /// A uniform value in [0, 1) with 53 random bits.
  public mutating func uniform() -> Double {
    Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
  }

  /// A uniform value in `range`.
  public mutating func uniform(_ range: ClosedRange<Double>) -> Double {
    range.lowerBound + (range.upperBound - range.lowerBound) * uniform()
  }

  /// A uniform integer in `range`, by rejection so that it is unbiased.
  public mutating func integer(_ range: ClosedRange<Int>) -> Int {
    let span = UInt64(range.upperBound - range.lowerBound) + 1
    let limit = UInt64.max - UInt64.max % span
    var value = next()
    while value >= limit { value = next() }
    return range.lowerBound + Int(value % span)
  }

  /// A standard normal value, by the Box-Muller transform.
  public mutating func normal() -> Double {
    let u1 = max(uniform(), 1e-300)
    let u2 = uniform()
    return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
  }

  /// A normal value with the given mean and standard deviation.
  public mutating func normal(mean: Double, deviation: Double) -> Double {
    mean + deviation * normal()
  }

  /// Whether an event of probability `p` happens.
  public mutating func chance(_ p: Double) -> Bool { uniform() < p }

  /// Shuffles `items` in place (Fisher-Yates, the same order for the same
  /// state on every Swift release, unlike `shuffle(using:)`).
  public mutating func shuffle<T>(_ items: inout [T]) {
    guard items.count > 1 else { return }
    for index in stride(from: items.count - 1, to: 0, by: -1) {
      let other = integer(0...index)
      items.swapAt(index, other)
    }
  }
}
