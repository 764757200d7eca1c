import Foundation

/// The head's dense layers in training: weights, gradients and the
/// optimizer state, updated in place.
///
/// Layer `l` maps `[batch, inputs]` to `[batch, outputs]` as
/// `Z = X W^T + b` with `W` `[outputs, inputs]` (PyTorch layout), a ReLU
/// after every layer but the last, which has one output: the logit.
struct TrainableHead {
  struct Layer {
    var inputs: Int
    var outputs: Int
    /// `[outputs, inputs]`
    var weight: [Float]
    /// `[outputs]`
    var bias: [Float]
    var weightGradient: [Float]
    var biasGradient: [Float]
    /// First moments (Adam) or velocities (SGD with momentum).
    var weightMoment: [Float]
    var biasMoment: [Float]
    /// Second moments (Adam).
    var weightSquare: [Float]
    var biasSquare: [Float]
  }

  var layers: [Layer]
  /// Adam steps taken.
  var step = 0

  /// Glorot-uniform weights (the Keras default for dense layers), limit
  /// sqrt(6 / (inputs + outputs)), and zero biases.
  init(inputs: Int, hidden: [Int], seed: UInt64) {
    var random = SplitMix64(seed: seed)
    var layers: [Layer] = []
    var width = inputs
    for outputs in hidden + [1] {
      let limit = (6 / Double(width + outputs)).squareRoot()
      let weight = (0..<(width * outputs)).map { _ in
        Float((random.nextUniform() * 2 - 1) * limit)
      }
      let zeros = [Float](repeating: 0, count: width * outputs)
      let biasZeros = [Float](repeating: 0, count: outputs)
      layers.append(
        Layer(
          inputs: width, outputs: outputs, weight: weight, bias: biasZeros,
          weightGradient: zeros, biasGradient: biasZeros, weightMoment: zeros,
          biasMoment: biasZeros, weightSquare: zeros, biasSquare: biasZeros))
      width = outputs
    }
    self.layers = layers
  }

  /// Runs the layers on `input` `[batch, inputs]`; returns every layer's
  /// output after its ReLU (the last is the logits `[batch]`).
  func forward(_ input: [Float], batch: Int) -> [[Float]] {
    var outputs: [[Float]] = []
    var x = input
    for (index, layer) in layers.enumerated() {
      // Z [batch, out] = X [batch, in] * W^T: M = batch, N = out, K = in;
      // W is [out, in], so B is transposed with ldb = in.
      var z = [Float](repeating: 0, count: batch * layer.outputs)
      for row in 0..<batch {
        for o in 0..<layer.outputs { z[row * layer.outputs + o] = layer.bias[o] }
      }
      x.withUnsafeBufferPointer { a in
        layer.weight.withUnsafeBufferPointer { w in
          z.withUnsafeMutableBufferPointer { c in
            BLAS.sgemm(
              m: batch, n: layer.outputs, k: layer.inputs, a: a.baseAddress!,
              lda: layer.inputs, b: w.baseAddress!, ldb: layer.inputs,
              transposeB: true, c: c.baseAddress!, ldc: layer.outputs, beta: 1)
          }
        }
      }
      if index < layers.count - 1 {
        for i in z.indices where z[i] < 0 { z[i] = 0 }
      }
      outputs.append(z)
      x = z
    }
    return outputs
  }

  /// Accumulates the gradients of the loss for one batch, given the
  /// forward outputs and d loss / d logit per image `[batch]`. With
  /// `inputGradient` it also returns d loss / d input `[batch, inputs]`.
  @discardableResult
  mutating func backward(
    input: [Float], outputs: [[Float]], logitGradient: [Float], batch: Int,
    inputGradient: Bool = false
  ) -> [Float] {
    var upstream = logitGradient
    for index in stride(from: layers.count - 1, through: 0, by: -1) {
      let layer = layers[index]
      let x = index == 0 ? input : outputs[index - 1]
      if index < layers.count - 1 {
        // Through the ReLU: no gradient where the output was clipped.
        let output = outputs[index]
        for i in upstream.indices where output[i] <= 0 { upstream[i] = 0 }
      }

      // dW [out, in] = dZ^T [out, batch] * X [batch, in]:
      // M = out, N = in, K = batch.
      var transposed = [Float](repeating: 0, count: batch * layer.outputs)
      var biasGradient = [Float](repeating: 0, count: layer.outputs)
      for row in 0..<batch {
        for o in 0..<layer.outputs {
          let value = upstream[row * layer.outputs + o]
          transposed[o * batch + row] = value
          biasGradient[o] += value
        }
      }
      var weightGradient = [Float](repeating: 0, count: layer.outputs * layer.inputs)
      transposed.withUnsafeBufferPointer { a in
        x.withUnsafeBufferPointer { b in
          weightGradient.withUnsafeMutableBufferPointer { c in
            BLAS.sgemm(
              m: layer.outputs, n: layer.inputs, k: batch, a: a.baseAddress!,
              lda: batch, b: b.baseAddress!, ldb: layer.inputs,
              c: c.baseAddress!, ldc: layer.inputs)
          }
        }
      }
      layers[index].weightGradient = weightGradient
      layers[index].biasGradient = biasGradient

      guard index > 0 || inputGradient else { break }
      // dX [batch, in] = dZ [batch, out] * W [out, in]:
      // M = batch, N = in, K = out.
      var down = [Float](repeating: 0, count: batch * layer.inputs)
      upstream.withUnsafeBufferPointer { a in
        layer.weight.withUnsafeBufferPointer { b in
          down.withUnsafeMutableBufferPointer { c in
            BLAS.sgemm(
              m: batch, n: layer.inputs, k: layer.outputs, a: a.baseAddress!,
              lda: layer.outputs, b: b.baseAddress!, ldb: layer.inputs,
              c: c.baseAddress!, ldc: layer.inputs)
          }
        }
      }
      upstream = down
    }
    return inputGradient ? upstream : []
  }

  /// Applies one update with the accumulated gradients.
  mutating func update(_ options: HeadOptions) {
    step += 1
    let rate = Float(options.learningRate)
    let decay = Float(options.weightDecay)
    switch options.optimizer {
    case .sgd:
      let momentum = Float(options.momentum)
      for l in layers.indices {
        var layer = layers[l]
        for i in layer.weight.indices {
          let g = layer.weightGradient[i] + decay * layer.weight[i]
          let v = momentum * layer.weightMoment[i] - rate * g
          layer.weightMoment[i] = v
          layer.weight[i] += v
        }
        for i in layer.bias.indices {
          let v = momentum * layer.biasMoment[i] - rate * layer.biasGradient[i]
          layer.biasMoment[i] = v
          layer.bias[i] += v
        }
        layers[l] = layer
      }
    case .adam:
      let beta1: Float = 0.9
      let beta2: Float = 0.999
      let epsilon: Float = 1e-7
      let correction1 = 1 - pow(beta1, Float(step))
      let correction2 = 1 - pow(beta2, Float(step))
      func adam(_ g: Float, _ m: inout Float, _ v: inout Float) -> Float {
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        return rate * (m / correction1) / ((v / correction2).squareRoot() + epsilon)
      }
      for l in layers.indices {
        var layer = layers[l]
        for i in layer.weight.indices {
          let change = adam(
            layer.weightGradient[i], &layer.weightMoment[i], &layer.weightSquare[i])
          layer.weight[i] -= change + rate * decay * layer.weight[i]
        }
        for i in layer.bias.indices {
          let change = adam(layer.biasGradient[i], &layer.biasMoment[i], &layer.biasSquare[i])
          layer.bias[i] -= change
        }
        layers[l] = layer
      }
    }
  }

  /// The layers as `Dense` layers on raw features, with the feature
  /// standardization `(x - mean) / std` folded into the first layer:
  /// `W' = W / std` per input and `b' = b - W' mean`.
  func exported(mean: [Float], std: [Float]) -> [Dense] {
    var result: [Dense] = []
    for (index, layer) in layers.enumerated() {
      var weight = layer.weight
      var bias = layer.bias
      if index == 0 {
        for o in 0..<layer.outputs {
          var shift: Double = 0
          for i in 0..<layer.inputs {
            let scaled = weight[o * layer.inputs + i] / std[i]
            weight[o * layer.inputs + i] = scaled
            shift += Double(scaled) * Double(mean[i])
          }
          bias[o] = Float(Double(bias[o]) - shift)
        }
      }
      // The shapes are consistent by construction, so the init cannot throw.
      let dense = try? Dense(
        weight: Tensor(shape: [layer.outputs, layer.inputs], values: weight),
        bias: Tensor(shape: [layer.outputs], values: bias), name: "head.\(index)")
      result.append(dense!)
    }
    return result
  }
}
