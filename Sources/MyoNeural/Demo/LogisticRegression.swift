import Foundation

/// Binary logistic regression by full-batch gradient descent on
/// standardized features, returned in the original feature scale.
struct LogisticRegression {
  var weights: [Float]
  var bias: Float

  /// Fits `p = sigmoid(w . x + b)` with an L2 penalty on `w`.
  static func fit(
    features: [[Float]], labels: [Bool], l2: Double, iterations: Int
  ) -> LogisticRegression {
    let count = features.count
    let dimension = features.first?.count ?? 0
    precondition(
      count > 0 && labels.count == count, "logistic regression: no data")

    // Standardize each feature; a constant feature gets scale 1.
    var mean = [Double](repeating: 0, count: dimension)
    var deviation = [Double](repeating: 0, count: dimension)
    for row in features { for j in 0..<dimension { mean[j] += Double(row[j]) } }
    for j in 0..<dimension { mean[j] /= Double(count) }
    for row in features {
      for j in 0..<dimension {
        let d = Double(row[j]) - mean[j]
        deviation[j] += d * d
      }
    }
    for j in 0..<dimension {
      let sd = (deviation[j] / Double(count)).squareRoot()
      deviation[j] = sd > 1e-12 ? sd : 1
    }
    let x = features.map { row in
      (0..<dimension).map { (Double(row[$0]) - mean[$0]) / deviation[$0] }
    }
    let y = labels.map { $0 ? 1.0 : 0.0 }

    // Step size 1 / L, where L = lambda_max(X'X / n) / 4 + l2 bounds the
    // curvature of the mean loss; lambda_max comes from power iteration.
    var v = [Double](
      repeating: 1 / Double(dimension).squareRoot(), count: dimension)
    var lambda = 1.0
    for _ in 0..<30 {
      var next = [Double](repeating: 0, count: dimension)
      for row in x {
        var dot = 0.0
        for j in 0..<dimension { dot += row[j] * v[j] }
        for j in 0..<dimension { next[j] += dot * row[j] / Double(count) }
      }
      lambda = max((next.reduce(0) { $0 + $1 * $1 }).squareRoot(), 1e-12)
      v = next.map { $0 / lambda }
    }
    let rate = 1 / (lambda / 4 + l2 + 1e-12)

    var w = [Double](repeating: 0, count: dimension)
    var b = 0.0
    for _ in 0..<iterations {
      var gradient = [Double](repeating: 0, count: dimension)
      var gradientBias = 0.0
      for i in 0..<count {
        var z = b
        for j in 0..<dimension { z += w[j] * x[i][j] }
        let error = 1 / (1 + exp(-z)) - y[i]
        for j in 0..<dimension { gradient[j] += error * x[i][j] }
        gradientBias += error
      }
      for j in 0..<dimension {
        w[j] -= rate * (gradient[j] / Double(count) + l2 * w[j])
      }
      b -= rate * gradientBias / Double(count)
    }

    // Back to raw features: w' = w / sd, b' = b - sum(w * mean / sd).
    var weights = [Float](repeating: 0, count: dimension)
    var bias = b
    for j in 0..<dimension {
      weights[j] = Float(w[j] / deviation[j])
      bias -= w[j] * mean[j] / deviation[j]
    }
    return LogisticRegression(weights: weights, bias: Float(bias))
  }
}
