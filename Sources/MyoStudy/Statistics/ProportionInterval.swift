import Foundation

/// The methods for a confidence interval of a binomial proportion.
public enum ProportionMethod: String, Sendable, CaseIterable, Codable {
  /// Wilson score interval without continuity correction.
  case wilson
  /// Wilson score interval with continuity correction (Newcombe 1998,
  /// method 4), as scipy's `binomtest(...).proportion_ci("wilsoncc")`.
  case wilsonCorrected = "wilson-cc"
  /// Clopper-Pearson exact interval from beta quantiles.
  case clopperPearson = "clopper-pearson"
  /// Jeffreys interval: equal-tailed quantiles of Beta(x + 1/2, n - x + 1/2).
  case jeffreys
  /// Agresti-Coull interval, clipped to [0, 1].
  case agrestiCoull = "agresti-coull"
  /// Wald (normal approximation) interval, clipped to [0, 1].
  case wald
}

/// Confidence intervals for a binomial proportion x / n.
public enum ProportionInterval {
  /// Computes the interval for `successes` out of `trials` at the given
  /// confidence level; nil when `trials` is 0.
  public static func interval(
    successes x: Int, trials n: Int, method: ProportionMethod,
    level: Double = 0.95
  ) -> ConfidenceInterval? {
    guard n > 0, x >= 0, x <= n else { return nil }
    let alpha = 1 - level
    let z = SpecialFunctions.normalCritical(level: level)
    let nd = Double(n)
    let xd = Double(x)
    let p = xd / nd

    switch method {
    case .wilson:
      let z2 = z * z
      let center = (p + z2 / (2 * nd)) / (1 + z2 / nd)
      let half =
        z / (1 + z2 / nd) * (p * (1 - p) / nd + z2 / (4 * nd * nd)).squareRoot()
      return ConfidenceInterval(
        lower: x == 0 ? 0 : max(0, center - half),
        upper: x == n ? 1 : min(1, center + half))

    case .wilsonCorrected:
      let z2 = z * z
      let denominator = 2 * (nd + z2)
      var lower = 0.0
      var upper = 1.0
      if x > 0 {
        let root = (z2 - 2 - 1 / nd + 4 * p * (nd * (1 - p) + 1)).squareRoot()
        lower = max(0, (2 * nd * p + z2 - 1 - z * root) / denominator)
      }
      if x < n {
        let root = (z2 + 2 - 1 / nd + 4 * p * (nd * (1 - p) - 1)).squareRoot()
        upper = min(1, (2 * nd * p + z2 + 1 + z * root) / denominator)
      }
      return ConfidenceInterval(lower: lower, upper: upper)

    case .clopperPearson:
      let lower =
        x == 0
        ? 0
        : SpecialFunctions.betaQuantile(
          alpha / 2, a: xd, b: nd - xd + 1)
      let upper =
        x == n
        ? 1
        : SpecialFunctions.betaQuantile(
          1 - alpha / 2, a: xd + 1, b: nd - xd)
      return ConfidenceInterval(lower: lower, upper: upper)

    case .jeffreys:
      return ConfidenceInterval(
        lower: SpecialFunctions.betaQuantile(
          alpha / 2, a: xd + 0.5, b: nd - xd + 0.5),
        upper: SpecialFunctions.betaQuantile(
          1 - alpha / 2, a: xd + 0.5, b: nd - xd + 0.5))

    case .agrestiCoull:
      let nTilde = nd + z * z
      let pTilde = (xd + z * z / 2) / nTilde
      let half = z * (pTilde * (1 - pTilde) / nTilde).squareRoot()
      return ConfidenceInterval(
        lower: max(0, pTilde - half), upper: min(1, pTilde + half))

    case .wald:
      let half = z * (p * (1 - p) / nd).squareRoot()
      return ConfidenceInterval(
        lower: max(0, p - half), upper: min(1, p + half))
    }
  }
}
