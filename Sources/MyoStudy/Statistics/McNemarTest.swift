import Foundation

/// McNemar's test of two paired binary tests on the same cases.
///
/// For sensitivity the cases are the diseased ones and "positive" means a
/// correct call; for specificity the non-diseased ones. Only the discordant
/// pairs matter: b (first positive, second negative) and c (the reverse).
public struct McNemarTest: Sendable, Equatable {
  /// Pairs where the first test is positive and the second negative.
  public var b: Int
  /// Pairs where the first test is negative and the second positive.
  public var c: Int

  /// Creates the test from its discordant counts.
  public init(b: Int, c: Int) {
    self.b = b
    self.c = c
  }

  /// Counts the discordant pairs of two parallel outcome lists.
  public init(_ first: [Bool], _ second: [Bool]) {
    precondition(first.count == second.count, "McNemar needs paired outcomes")
    var b = 0
    var c = 0
    for (x, y) in zip(first, second) where x != y {
      if x { b += 1 } else { c += 1 }
    }
    self.init(b: b, c: c)
  }

  /// The exact two-sided p-value: 2 P(X <= min(b, c)) for X ~ Bin(b + c,
  /// 1/2), at most 1. With no discordant pairs it is 1.
  public var exactP: Double {
    let n = b + c
    guard n > 0 else { return 1 }
    return min(1, 2 * SpecialFunctions.binomialCDF(min(b, c), n: n, p: 0.5))
  }

  /// The mid-p value: the exact p minus the probability of the observed
  /// count, at most 1. With no discordant pairs it is 1.
  public var midP: Double {
    let n = b + c
    guard n > 0 else { return 1 }
    let k = min(b, c)
    let lower = SpecialFunctions.binomialCDF(k, n: n, p: 0.5)
    let point = SpecialFunctions.binomialPMF(k, n: n, p: 0.5)
    return min(1, 2 * (lower - 0.5 * point))
  }

  /// The chi-square statistic (b - c)^2 / (b + c) without correction; nil
  /// when there are no discordant pairs.
  public var chiSquare: Double? {
    let n = b + c
    guard n > 0 else { return nil }
    let d = Double(b - c)
    return d * d / Double(n)
  }

  /// The continuity-corrected statistic (|b - c| - 1)^2 / (b + c), applied
  /// only when b != c as R's `mcnemar.test` does (statsmodels 0.15 always
  /// subtracts 1); nil when there are no discordant pairs.
  public var correctedChiSquare: Double? {
    let n = b + c
    guard n > 0 else { return nil }
    guard b != c else { return 0 }
    let d = Double(abs(b - c) - 1)
    return d * d / Double(n)
  }

  /// The p-value of `chiSquare`; 1 with no discordant pairs.
  public var chiSquareP: Double {
    chiSquare.map(SpecialFunctions.chiSquare1Survival) ?? 1
  }

  /// The p-value of `correctedChiSquare`; 1 with no discordant pairs.
  public var correctedChiSquareP: Double {
    correctedChiSquare.map(SpecialFunctions.chiSquare1Survival) ?? 1
  }
}
