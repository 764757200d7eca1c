/// The assignment of every case of a cohort to training, validation or
/// test, so that all images of a case stay in one part.
public struct CohortSplit: Sendable, Equatable {
  /// Where the assignment came from.
  public enum Source: String, Sendable {
    /// Drawn at random with a seed.
    case random
    /// Read from the manifest's split column.
    case manifest
  }

  /// The fractions of the study: 233, 97 and 102 of 432 cases, about
  /// 54%, 22% and 24%.
  public static let studyFractions = [0.54, 0.22, 0.24]

  /// Where the assignment came from.
  public var source: Source
  /// The seed of a random split; 0 for a manifest split.
  public var seed: UInt64
  /// Case names per part, each in manifest order.
  public var training: [String]
  public var validation: [String]
  public var test: [String]

  /// The case names of one part.
  public func cases(in part: SplitPart) -> [String] {
    switch part {
    case .training: return training
    case .validation: return validation
    case .test: return test
    }
  }

  /// The part that holds a case, or nil when the case is not in the split.
  public func part(of name: String) -> SplitPart? {
    if training.contains(name) { return .training }
    if validation.contains(name) { return .validation }
    if test.contains(name) { return .test }
    return nil
  }

  /// Draws a random split by case, stratified by the truth so that each
  /// part keeps the cohort's share of positive cases.
  ///
  /// Within each class the cases are shuffled with SplitMix64 from the
  /// seed (Fisher-Yates from the last index down), and the part sizes are
  /// the fractions of the class count rounded by largest remainder.
  public static func random(
    _ cases: [CohortCase], seed: UInt64, fractions: [Double] = studyFractions
  ) throws -> CohortSplit {
    guard fractions.count == 3, fractions.allSatisfy({ $0 >= 0 }),
      fractions.reduce(0, +) > 0
    else {
      throw TrainingError.invalidOption(
        name: "--split", value: fractions.map { "\($0)" }.joined(separator: "/"),
        expected: "three fractions of 0 or more, such as 54/22/24")
    }
    let total = fractions.reduce(0, +)
    let shares = fractions.map { $0 / total }
    var random = SplitMix64(seed: seed)
    var parts: [SplitPart: Set<String>] = [:]
    for label in [true, false] {
      var names = cases.filter { $0.isPositive == label }.map(\.name)
      shuffle(&names, with: &random)
      let counts = largestRemainder(names.count, shares: shares)
      var start = 0
      for (part, count) in zip(SplitPart.allCases, counts) {
        parts[part, default: []].formUnion(names[start..<(start + count)])
        start += count
      }
    }
    func ordered(_ part: SplitPart) -> [String] {
      cases.map(\.name).filter { parts[part, default: []].contains($0) }
    }
    return CohortSplit(
      source: .random, seed: seed, training: ordered(.training),
      validation: ordered(.validation), test: ordered(.test))
  }

  /// Takes the split from the manifest's split column, which every case
  /// must fill.
  public static func fromManifest(_ manifest: CohortManifest) throws -> CohortSplit {
    var result = CohortSplit(source: .manifest, seed: 0, training: [], validation: [], test: [])
    for item in manifest.cases {
      guard let part = item.split else {
        throw TrainingError.invalidManifest(
          path: manifest.path, line: 0,
          reason: "case '\(item.name)' has no split; fill the split column"
            + " for every case or use --split with fractions")
      }
      switch part {
      case .training: result.training.append(item.name)
      case .validation: result.validation.append(item.name)
      case .test: result.test.append(item.name)
      }
    }
    return result
  }

  /// Splits `count` items by `shares` (summing to 1) into whole counts
  /// that sum to `count`, giving the leftover items to the largest
  /// fractional parts (ties to the earlier part).
  static func largestRemainder(_ count: Int, shares: [Double]) -> [Int] {
    let exact = shares.map { $0 * Double(count) }
    var counts = exact.map { Int($0.rounded(.down)) }
    var left = count - counts.reduce(0, +)
    let order = exact.indices.sorted {
      let a = exact[$0] - Double(counts[$0])
      let b = exact[$1] - Double(counts[$1])
      return a != b ? a > b : $0 < $1
    }
    for index in order where left > 0 {
      counts[index] += 1
      left -= 1
    }
    return counts
  }

  /// Fisher-Yates: for i from the last index down to 1, swaps i with a
  /// j drawn uniformly from 0...i (next() modulo i + 1).
  static func shuffle<T>(_ items: inout [T], with random: inout SplitMix64) {
    guard items.count > 1 else { return }
    for i in stride(from: items.count - 1, to: 0, by: -1) {
      let j = Int(random.next() % UInt64(i + 1))
      items.swapAt(i, j)
    }
  }
}
