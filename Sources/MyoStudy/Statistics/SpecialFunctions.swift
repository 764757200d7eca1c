import Foundation

/// The distribution functions the reader-study statistics need, computed
/// to close to double precision.
public enum SpecialFunctions {
  /// The standard normal cumulative distribution function.
  public static func normalCDF(_ x: Double) -> Double {
    0.5 * erfc(-x / 2.0.squareRoot())
  }

  /// Returns the two-sided p-value of a standard normal statistic.
  public static func normalTwoSidedP(_ z: Double) -> Double {
    erfc(abs(z) / 2.0.squareRoot())
  }

  /// Returns the upper tail of the chi-square distribution with one degree of
  /// freedom.
  public static func chiSquare1Survival(_ x: Double) -> Double {
    x <= 0 ? 1 : erfc((x / 2).squareRoot())
  }

  /// Computes the standard normal quantile (inverse CDF), by Acklam's rational
  /// approximation refined with one Halley step against `erfc`.
  public static func normalQuantile(_ p: Double) -> Double {
    precondition(p > 0 && p < 1, "normalQuantile needs 0 < p < 1, got \(p)")
    let a = [
      -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
      1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00,
    ]
    let b = [
      -5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
      6.680131188771972e+01, -1.328068155288572e+01,
    ]
    let c = [
      -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
      -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00,
    ]
    let d = [
      7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
      3.754408661907416e+00,
    ]
    let low = 0.02425
    var x: Double
    if p < low {
      let q = (-2 * log(p)).squareRoot()
      x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
        / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    } else if p <= 1 - low {
      let q = p - 0.5
      let r = q * q
      x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5])
        * q
        / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    } else {
      let q = (-2 * log(1 - p)).squareRoot()
      x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
        / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    }

    // Halley refinement: the rational form is good to about 1e-9.
    for _ in 0..<2 {
      let e = normalCDF(x) - p
      let u = e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
      x -= u / (1 + x * u / 2)
    }
    return x
  }

  /// Returns the two-sided critical value of the standard normal for a confidence
  /// level such as 0.95.
  public static func normalCritical(level: Double) -> Double {
    normalQuantile(1 - (1 - level) / 2)
  }

  /// The natural logarithm of the beta function.
  static func logBeta(_ a: Double, _ b: Double) -> Double {
    lgamma(a) + lgamma(b) - lgamma(a + b)
  }

  /// The regularized incomplete beta function I_x(a, b), by the continued
  /// fraction evaluated with the modified Lentz method.
  public static func regularizedBeta(_ x: Double, a: Double, b: Double)
    -> Double
  {
    if x <= 0 { return 0 }
    if x >= 1 { return 1 }
    let front = exp(a * log(x) + b * log1p(-x) - logBeta(a, b))
    if x < (a + 1) / (a + b + 2) {
      return front * betaContinuedFraction(x, a: a, b: b) / a
    }
    let mirrored = exp(b * log1p(-x) + a * log(x) - logBeta(b, a))
    return 1 - mirrored * betaContinuedFraction(1 - x, a: b, b: a) / b
  }

  private static func betaContinuedFraction(_ x: Double, a: Double, b: Double)
    -> Double
  {
    let tiny = 1e-300
    var c = 1.0
    var d = 1 - (a + b) * x / (a + 1)
    if abs(d) < tiny { d = tiny }
    d = 1 / d
    var h = d
    for m in 1...10_000 {
      let m = Double(m)
      let even = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
      d = 1 + even * d
      if abs(d) < tiny { d = tiny }
      c = 1 + even / c
      if abs(c) < tiny { c = tiny }
      d = 1 / d
      h *= d * c
      let odd = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
      d = 1 + odd * d
      if abs(d) < tiny { d = tiny }
      c = 1 + odd / c
      if abs(c) < tiny { c = tiny }
      d = 1 / d
      let delta = d * c
      h *= delta
      if abs(delta - 1) < 1e-16 { break }
    }
    return h
  }

  /// Computes the quantile of the beta distribution: the x with I_x(a, b) = p.
  ///
  /// Bisection runs until the bracket spans two adjacent doubles, so the
  /// result is as exact as `regularizedBeta` is.
  public static func betaQuantile(_ p: Double, a: Double, b: Double) -> Double {
    if p <= 0 { return 0 }
    if p >= 1 { return 1 }
    var low = 0.0
    var high = 1.0
    for _ in 0..<2_000 {
      let middle = low + (high - low) / 2
      if middle <= low || middle >= high { break }
      if regularizedBeta(middle, a: a, b: b) < p {
        low = middle
      } else {
        high = middle
      }
    }
    return low + (high - low) / 2
  }

  /// Returns the probability of exactly `k` successes in `n` trials of
  /// probability `p`.
  public static func binomialPMF(_ k: Int, n: Int, p: Double) -> Double {
    guard k >= 0 && k <= n else { return 0 }
    if p == 0 { return k == 0 ? 1 : 0 }
    if p == 1 { return k == n ? 1 : 0 }
    let logChoose =
      lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1))
    return exp(logChoose + Double(k) * log(p) + Double(n - k) * log1p(-p))
  }

  /// Returns the probability of at most `k` successes in `n` trials of
  /// probability `p`.
  public static func binomialCDF(_ k: Int, n: Int, p: Double) -> Double {
    guard k >= 0 else { return 0 }
    guard k < n else { return 1 }
    var sum = 0.0
    for i in 0...k { sum += binomialPMF(i, n: n, p: p) }
    return min(1, sum)
  }
}
