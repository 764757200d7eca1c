import Foundation

/// A percentile interval from a bootstrap that resamples whole clusters
/// (cases), so that the images of one case stay together.
public struct BootstrapInterval: Sendable, Equatable {
  /// The interval.
  public var interval: ConfidenceInterval
  /// Replicates that gave a value.
  public var replicates: Int
  /// Replicates skipped because the statistic was undefined in them, as
  /// when a resample held no diseased case.
  public var skipped: Int
  /// The seed, so the interval can be reproduced.
  public var seed: UInt64
}

/// The cluster bootstrap.
public enum ClusterBootstrap {
  /// Draws `replicates` resamples of the clusters with replacement, pools
  /// the units of the drawn clusters and applies `statistic`; returns the
  /// percentile interval (linear interpolation between order statistics,
  /// as numpy's default `quantile`), or nil when no replicate gave a value.
  ///
  /// Cluster k of replicate r is `clusters[rng.index(below: count)]`, with
  /// one SplitMix64 stream seeded by `seed`, so another implementation can
  /// reproduce the draws exactly.
  public static func percentileInterval<Unit>(
    clusters: [[Unit]], replicates: Int = 2000, seed: UInt64 = 1,
    level: Double = 0.95, statistic: ([Unit]) -> Double?
  ) -> BootstrapInterval? {
    guard !clusters.isEmpty, replicates > 0 else { return nil }
    var rng = SplitMix64(seed: seed)
    var values: [Double] = []
    values.reserveCapacity(replicates)
    var skipped = 0
    for _ in 0..<replicates {
      var pooled: [Unit] = []
      for _ in 0..<clusters.count {
        pooled.append(contentsOf: clusters[rng.index(below: clusters.count)])
      }
      if let value = statistic(pooled), value.isFinite {
        values.append(value)
      } else {
        skipped += 1
      }
    }
    guard !values.isEmpty else { return nil }
    values.sort()
    let alpha = 1 - level
    return BootstrapInterval(
      interval: ConfidenceInterval(
        lower: quantile(values, alpha / 2),
        upper: quantile(values, 1 - alpha / 2)),
      replicates: values.count, skipped: skipped, seed: seed)
  }

  /// Returns the q-quantile of sorted values with linear interpolation.
  static func quantile(_ sorted: [Double], _ q: Double) -> Double {
    let position = Double(sorted.count - 1) * q
    let low = Int(position.rounded(.down))
    let high = min(low + 1, sorted.count - 1)
    let fraction = position - Double(low)
    return sorted[low] + (sorted[high] - sorted[low]) * fraction
  }
}
