import Foundation

/// Fleiss' kappa for agreement among several raters.
public struct FleissKappa: KappaTest, Sendable, Equatable {
  /// The kappa statistic.
  public var kappa: Estimate
  /// The mean observed agreement, P-bar.
  public var observedAgreement: Double
  /// The chance agreement, P_e = sum p_j^2.
  public var chanceAgreement: Double
  /// The share of all ratings in each category.
  public var categoryShares: [Double]
  /// Per-category kappa; not estimable for a category no rating used.
  public var categoryKappas: [Estimate]
  /// The standard error under the null hypothesis of no agreement (Fleiss,
  /// Nee and Landis 1979); not estimable when subjects have different
  /// numbers of ratings.
  public var nullStandardError: Estimate
  /// Subjects that entered the computation.
  public var subjects: Int
  /// Subjects dropped because they had fewer than two ratings.
  public var droppedSubjects: Int

  /// Computes Fleiss' kappa from a subject-by-category count table.
  ///
  /// Rows may have different totals, as when a reader skipped a case: each
  /// subject's agreement uses its own number of ratings n_i, and subjects
  /// with fewer than two ratings are dropped and counted.
  public static func compute(counts: [[Int]]) -> FleissKappa {
    let categories = counts.first?.count ?? 0
    let rows = counts.filter { $0.reduce(0, +) >= 2 }
    let dropped = counts.count - rows.count
    let totalRatings = Double(rows.reduce(0) { $0 + $1.reduce(0, +) })
    var shares = [Double](repeating: 0, count: categories)
    var agreement = 0.0
    for row in rows {
      let ni = Double(row.reduce(0, +))
      var pairs = 0.0
      for (j, nij) in row.enumerated() {
        shares[j] += Double(nij)
        pairs += Double(nij * (nij - 1))
      }
      agreement += pairs / (ni * (ni - 1))
    }
    if totalRatings > 0 { shares = shares.map { $0 / totalRatings } }
    let observed = rows.isEmpty ? .nan : agreement / Double(rows.count)
    let chance = shares.reduce(0) { $0 + $1 * $1 }
    let kappa = Estimate.checked(
      (observed - chance) / (1 - chance),
      reason: rows.isEmpty
        ? "no subject has two ratings"
        : "all ratings fall in one category, chance agreement is 1")

    let raterCounts = Set(rows.map { $0.reduce(0, +) })
    let categoryKappas = categoryKappa(rows: rows, shares: shares)
    var se = Estimate.notEstimable(
      reason: "subjects have different numbers of ratings")
    if raterCounts.count == 1, let n = raterCounts.first {
      let pq = shares.map { $0 * (1 - $0) }
      let sumPQ = pq.reduce(0, +)
      let skew = zip(pq, shares).reduce(0.0) { $0 + $1.0 * (1 - 2 * $1.1) }
      let scale = 2 / (Double(rows.count) * Double(n) * Double(n - 1))
      se = .checked(
        scale.squareRoot() * (sumPQ * sumPQ - skew).squareRoot() / sumPQ,
        reason: "all ratings fall in one category")
    }
    return FleissKappa(
      kappa: kappa, observedAgreement: observed, chanceAgreement: chance,
      categoryShares: shares, categoryKappas: categoryKappas,
      nullStandardError: se, subjects: rows.count, droppedSubjects: dropped)
  }

  /// kappa_j = 1 - sum_i n_ij (n_i - n_ij) / (sum_i n_i (n_i - 1) p_j q_j).
  private static func categoryKappa(rows: [[Int]], shares: [Double])
    -> [Estimate]
  {
    shares.indices.map { j in
      var disagreement = 0.0
      var scale = 0.0
      for row in rows {
        let ni = Double(row.reduce(0, +))
        let nij = Double(row[j])
        disagreement += nij * (ni - nij)
        scale += ni * (ni - 1)
      }
      let pq = shares[j] * (1 - shares[j])
      return .checked(
        1 - disagreement / (scale * pq),
        reason: "category \(j + 1) was used by every rating or by none")
    }
  }

  /// Builds the subject-by-category count table from ratings, where nil
  /// marks a skipped subject; categories are given in order.
  public static func counts<Category: Hashable>(
    ratings: [[Category?]], categories: [Category]
  ) -> [[Int]] {
    let index = Dictionary(
      uniqueKeysWithValues: categories.enumerated().map { ($1, $0) })
    return ratings.map { row in
      var counts = [Int](repeating: 0, count: categories.count)
      for case let rating? in row {
        if let column = index[rating] { counts[column] += 1 }
      }
      return counts
    }
  }
}

/// Cohen's kappa for two raters, with the asymptotic standard errors of
/// Fleiss, Cohen and Everitt (1969) as statsmodels' `cohens_kappa`.
public struct CohenKappa: KappaTest, Sendable, Equatable {
  /// The kappa statistic.
  public var kappa: Estimate
  /// The asymptotic standard error (for the interval).
  public var standardError: Estimate
  /// The standard error under the null hypothesis (for the test).
  public var nullStandardError: Estimate
  /// Subjects rated by both raters.
  public var subjects: Int

  /// Returns the normal interval kappa -/+ z ASE.
  public func interval(level: Double = 0.95) -> ConfidenceInterval? {
    guard let k = kappa.number, let se = standardError.number else {
      return nil
    }
    let z = SpecialFunctions.normalCritical(level: level)
    return ConfidenceInterval(lower: k - z * se, upper: k + z * se)
  }

  /// Computes kappa from a square agreement table: rows are the first
  /// rater's categories, columns the second's.
  public static func compute(table: [[Int]]) -> CohenKappa {
    let k = table.count
    let total = Double(table.reduce(0) { $0 + $1.reduce(0, +) })
    guard total > 0 else {
      let reason = "no subject was rated by both raters"
      return CohenKappa(
        kappa: .notEstimable(reason: reason),
        standardError: .notEstimable(reason: reason),
        nullStandardError: .notEstimable(reason: reason), subjects: 0)
    }
    let prob = table.map { $0.map { Double($0) / total } }
    let rows = prob.map { $0.reduce(0, +) }
    let columns = (0..<k).map { j in prob.reduce(0) { $0 + $1[j] } }
    let agree = (0..<k).reduce(0) { $0 + prob[$1][$1] }
    let chance = (0..<k).reduce(0) { $0 + rows[$1] * columns[$1] }
    let reason = "both raters used a single category, chance agreement is 1"
    guard chance < 1 else {
      return CohenKappa(
        kappa: .notEstimable(reason: reason),
        standardError: .notEstimable(reason: reason),
        nullStandardError: .notEstimable(reason: reason),
        subjects: Int(total))
    }
    let kappa = (agree - chance) / (1 - chance)

    var termA = 0.0
    var termB = 0.0
    for i in 0..<k {
      let weight = 1 - (rows[i] + columns[i]) * (1 - kappa)
      termA += prob[i][i] * weight * weight
      for j in 0..<k where j != i {
        let margin = columns[i] + rows[j]
        termB += prob[i][j] * margin * margin
      }
    }
    termB *= (1 - kappa) * (1 - kappa)
    let termC = pow(kappa - chance * (1 - kappa), 2)
    let variance = (termA + termB - termC) / pow(1 - chance, 2) / total
    let nullTerm = (0..<k).reduce(0.0) {
      $0 + columns[$1] * rows[$1] * (columns[$1] + rows[$1])
    }
    let nullVariance =
      (chance + chance * chance - nullTerm) / (pow(1 - chance, 2) * total)
    return CohenKappa(
      kappa: .value(kappa),
      standardError: .checked(variance.squareRoot(), reason: reason),
      nullStandardError: .checked(nullVariance.squareRoot(), reason: reason),
      subjects: Int(total))
  }

  /// Computes kappa from two raters' ratings of the same subjects, using
  /// only the subjects both rated (nil marks a skip).
  public static func compute<Category: Hashable>(
    _ first: [Category?], _ second: [Category?], categories: [Category]
  ) -> CohenKappa {
    let index = Dictionary(
      uniqueKeysWithValues: categories.enumerated().map { ($1, $0) })
    var table = [[Int]](
      repeating: [Int](repeating: 0, count: categories.count),
      count: categories.count)
    for (a, b) in zip(first, second) {
      guard let a, let b, let i = index[a], let j = index[b] else { continue }
      table[i][j] += 1
    }
    return compute(table: table)
  }
}

/// A kappa with its standard error under the null hypothesis of chance
/// agreement, from which the z test follows.
public protocol KappaTest {
  var kappa: Estimate { get }
  /// The standard error when the raters agree only by chance.
  var nullStandardError: Estimate { get }
}

extension KappaTest {
  /// z = kappa / SE0.
  public var z: Estimate {
    guard let k = kappa.number, let se = nullStandardError.number, se > 0
    else { return .notEstimable(reason: "kappa or its standard error is") }
    return .value(k / se)
  }

  /// The two-sided p-value of `z`.
  public var p: Estimate {
    guard let z = z.number else {
      return .notEstimable(reason: "z is not estimable")
    }
    return .value(SpecialFunctions.normalTwoSidedP(z))
  }
}
