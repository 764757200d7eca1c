import Foundation

/// The weights of a Keras ResNet50 in an HDF5 file, presented in
/// torchvision names and PyTorch layouts.
///
/// Reads both the ImageNet weight file (`..._notop.h5`, written by
/// `save_weights`, layers at the root) and a whole model saved with
/// `model.save("x.h5")` (layers under `model_weights`), including a
/// ResNet50 nested as one layer of a larger model. The weights are listed
/// by the root's `layer_names` attribute and each layer's `weight_names`.
/// The Keras layer of a weight is the second-to-last part of its name
/// (`conv2_block1_1_conv/kernel:0`), which also finds nested layers.
///
/// | Keras                        | torchvision                     |
/// |------------------------------|---------------------------------|
/// | conv1_conv, conv1_bn         | conv1, bn1                      |
/// | convS_blockB_I_conv (I 1..3) | layer(S-1).(B-1).convI          |
/// | convS_blockB_0_conv          | layer(S-1).(B-1).downsample.0   |
/// | convS_blockB_I_bn, _0_bn     | ...bnI, ...downsample.1         |
/// | gamma, beta                  | weight, bias                    |
/// | moving_mean, moving_variance | running_mean, running_var       |
/// | Dense layers, in model order | head.0, head.1, ...             |
///
/// Convolution kernels `[kh, kw, in, out]` become `[out, in, kh, kw]`
/// and dense kernels `[in, out]` become `[out, in]`.
public final class KerasWeights: WeightSource {
  public let path: String
  private let file: HDF5File
  /// torchvision key -> (dataset path, Keras shape, transpose kind)
  private var entries: [String: Entry] = [:]
  /// Keras weights that map to nothing, with their shapes.
  public private(set) var unmapped: [(name: String, shape: [Int])] = []

  private struct Entry {
    var dataset: String
    var kerasShape: [Int]
    var layout: Layout
  }

  private enum Layout {
    case same, convolution, dense
  }

  /// Opens a Keras HDF5 file and maps its weight names.
  public init(path: String) throws {
    self.path = path
    file = try HDF5File(path: path)
    let root = file.exists("/model_weights") ? "/model_weights" : "/"
    guard let layers = try file.stringArray(attribute: "layer_names", of: root)
    else {
      throw NeuralError.invalidFile(
        path: path, field: "attribute \(root)@layer_names", found: "absent",
        expected: "a Keras HDF5 weight or model file")
    }
    var denseCount = 0
    for layer in layers {
      let group = root == "/" ? "/\(layer)" : "\(root)/\(layer)"
      let names =
        try file.stringArray(attribute: "weight_names", of: group) ?? []
      var denseKeys: [String: String] = [:]
      for name in names {
        let dataset = "\(group)/\(name)"
        let shape = try file.shape(ofDataset: dataset)
        let parts = name.split(separator: "/").map(String.init)
        guard parts.count >= 2 else {
          unmapped.append((name, shape))
          continue
        }
        let kerasLayer = parts[parts.count - 2]
        var parameter = parts[parts.count - 1]
        if let colon = parameter.firstIndex(of: ":") {
          parameter = String(parameter[..<colon])
        }
        if let key = Self.torchKey(layer: kerasLayer, parameter: parameter) {
          let layout: Layout = shape.count == 4 ? .convolution : .same
          entries[key] = Entry(
            dataset: dataset, kerasShape: shape, layout: layout)
        } else if (parameter == "kernel" && shape.count == 2)
          || parameter == "bias"
        {
          // A dense layer of the head: numbered in model order.
          let index = denseKeys[kerasLayer] ?? "\(denseCount)"
          if denseKeys[kerasLayer] == nil {
            denseKeys[kerasLayer] = index
            denseCount += 1
          }
          let key = "head.\(index).\(parameter == "kernel" ? "weight" : "bias")"
          entries[key] = Entry(
            dataset: dataset, kerasShape: shape,
            layout: shape.count == 2 ? .dense : .same)
        } else {
          unmapped.append((name, shape))
        }
      }
    }
  }

  /// Maps a Keras backbone weight to its torchvision key, or returns nil.
  static func torchKey(layer: String, parameter: String) -> String? {
    let fields: [String: String] = [
      "kernel": "weight", "bias": "bias", "gamma": "weight", "beta": "bias",
      "moving_mean": "running_mean", "moving_variance": "running_var",
    ]
    guard let field = fields[parameter] else { return nil }
    let isConv = layer.hasSuffix("_conv")
    guard isConv || layer.hasSuffix("_bn") else { return nil }
    if isConv && !["kernel", "bias"].contains(parameter) { return nil }
    if !isConv && ["kernel"].contains(parameter) { return nil }
    if layer == "conv1_conv" { return "conv1.\(field)" }
    if layer == "conv1_bn" { return "bn1.\(field)" }
    // convS_blockB_I_conv or convS_blockB_I_bn
    let parts = layer.split(separator: "_")
    guard parts.count == 4, parts[0].hasPrefix("conv"),
      parts[1].hasPrefix("block"),
      let stage = Int(parts[0].dropFirst(4)),
      let block = Int(parts[1].dropFirst(5)),
      let index = Int(parts[2]), (2...5).contains(stage), block >= 1,
      (0...3).contains(index)
    else { return nil }
    let prefix = "layer\(stage - 1).\(block - 1)"
    if index == 0 { return "\(prefix).downsample.\(isConv ? 0 : 1).\(field)" }
    return "\(prefix).\(isConv ? "conv" : "bn")\(index).\(field)"
  }

  public var keys: [String] { Array(entries.keys) }

  public func shape(of key: String) -> [Int]? {
    guard let entry = entries[key] else { return nil }
    let s = entry.kerasShape
    switch entry.layout {
    case .same: return s
    case .convolution: return [s[3], s[2], s[0], s[1]]
    case .dense: return [s[1], s[0]]
    }
  }

  public func read(_ key: String) throws -> Tensor {
    guard let entry = entries[key], let shape = shape(of: key) else {
      throw NeuralError.missingTensor(path: path, key: key, expected: [])
    }
    let values = try file.floats(ofDataset: entry.dataset)
    let s = entry.kerasShape
    switch entry.layout {
    case .same:
      return Tensor(shape: shape, values: values)
    case .convolution:
      // [kh, kw, in, out] -> [out, in, kh, kw]
      let (kh, kw, input, output) = (s[0], s[1], s[2], s[3])
      var result = [Float](repeating: 0, count: values.count)
      for y in 0..<kh {
        for x in 0..<kw {
          for i in 0..<input {
            for o in 0..<output {
              result[((o * input + i) * kh + y) * kw + x] =
                values[((y * kw + x) * input + i) * output + o]
            }
          }
        }
      }
      return Tensor(shape: shape, values: result)
    case .dense:
      // [in, out] -> [out, in]
      let (input, output) = (s[0], s[1])
      var result = [Float](repeating: 0, count: values.count)
      for i in 0..<input {
        for o in 0..<output { result[o * input + i] = values[i * output + o] }
      }
      return Tensor(shape: shape, values: result)
    }
  }

  /// Reads the head's dense layers, in model order.
  public func head() throws -> [Dense] {
    var layers: [Dense] = []
    while shape(of: "head.\(layers.count).weight") != nil {
      let name = "head.\(layers.count)"
      guard let biasShape = shape(of: "\(name).bias") else {
        throw NeuralError.missingTensor(
          path: path, key: "\(name).bias",
          expected: [shape(of: "\(name).weight")![0]])
      }
      _ = biasShape
      layers.append(
        try Dense(
          weight: try read("\(name).weight"), bias: try read("\(name).bias"),
          name: name))
    }
    return layers
  }
}
