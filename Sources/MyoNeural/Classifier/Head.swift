/// The trained head on the pooled features: dense layers with a ReLU
/// between them, ending in one logit (sigmoid) or two (softmax).
struct Head: Sendable {
  let layers: [Dense]

  /// Computes the positive-class logit for pooled features `[channels]` and
  /// gradient of that logit with respect to the features (the CAM
  /// weights). With two outputs the logit is `z1 - z0`, whose sigmoid is
  /// the softmax probability of class 1.
  func logitAndGradient(_ pooled: [Float]) -> (logit: Double, gradient: [Float])
  {
    var activations: [[Float]] = [pooled]
    var x = pooled
    for (index, layer) in layers.enumerated() {
      x = layer.apply(x)
      if index < layers.count - 1 { x = x.map { max($0, 0) } }
      activations.append(x)
    }
    let last = layers[layers.count - 1]
    let logit = last.outputs == 1 ? Double(x[0]) : Double(x[1]) - Double(x[0])

    // Backward pass: d logit / d output of the last layer, then through
    // each dense layer and the ReLU after it.
    var upstream: [Float] = last.outputs == 1 ? [1] : [-1, 1]
    for index in stride(from: layers.count - 1, through: 0, by: -1) {
      let layer = layers[index]
      if index < layers.count - 1 {
        let output = activations[index + 1]
        for o in 0..<layer.outputs where output[o] <= 0 { upstream[o] = 0 }
      }
      var down = [Float](repeating: 0, count: layer.inputs)
      for o in 0..<layer.outputs where upstream[o] != 0 {
        let row = o * layer.inputs
        for i in 0..<layer.inputs {
          down[i] += upstream[o] * layer.weight[row + i]
        }
      }
      upstream = down
    }
    return (logit, upstream)
  }
}
