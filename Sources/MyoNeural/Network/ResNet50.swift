import Dispatch

/// A ResNet50 backbone up to its last convolutional stage, with batch
/// normalization folded into the convolutions, on NHWC activations.
public final class ResNet50: @unchecked Sendable {
  /// The variant and widths.
  public let config: ResNetConfig
  let stem: Convolution
  let blocks: [Bottleneck]
  /// Workspaces by batch, input size and slot (one slot per thread that
  /// runs chunks of a large batch).
  private var workspaces: [[Int]: Workspace] = [:]

  init(config: ResNetConfig, stem: Convolution, blocks: [Bottleneck]) {
    self.config = config
    self.stem = stem
    self.blocks = blocks
  }

  /// The output of the last stage for one batch.
  public struct Features {
    /// Images in the batch.
    public let batch: Int
    /// Height and width of each map: the input size over 32.
    public let height: Int
    public let width: Int
    /// Channels: `featureChannels` of the configuration.
    public let channels: Int
    /// The maps, `[batch, height, width, channels]`.
    public let maps: [Float]
    /// Their global average pool, `[batch, channels]`.
    public let pooled: [Float]
  }

  /// Returns the workspace for a batch, input size and slot, made on
  /// first use. A workspace for a chunk worker (`slot` given) has
  /// convolution scratch for one thread only.
  func workspace(batch: Int, size: Int, slot: Int? = nil) -> Workspace {
    let key = [batch, size, slot ?? -1]
    if let existing = workspaces[key] { return existing }
    let made = Workspace(
      network: self, batch: batch, size: size,
      threads: slot == nil ? Parallel.threads : 1)
    workspaces[key] = made
    return made
  }

  /// Releases every workspace.
  public func releaseWorkspaces() { workspaces.removeAll() }

  /// Runs the backbone on `images` `[batch, size, size, 3]` (NHWC, already
  /// normalized) and returns the last stage and its pooled features.
  public func features(_ images: [Float], batch: Int, size: Int) -> Features {
    precondition(
      images.count == batch * size * size * 3,
      "resnet50: \(images.count) input values for batch \(batch)"
        + " of \(size)x\(size)x3")
    let space = workspace(batch: batch, size: size)
    images.withUnsafeBufferPointer { source in
      space.input.pointer.update(from: source.baseAddress!, count: images.count)
    }
    let (output, side) = run(space)
    let channels = config.featureChannels
    let count = batch * side * side * channels
    return Features(
      batch: batch, height: side, width: side, channels: channels,
      maps: Array(UnsafeBufferPointer(start: output, count: count)),
      pooled: space.pooled.array)
  }

  /// Runs the backbone on the workspace's input; returns the last stage's
  /// buffer and its side. The pooled features land in `space.pooled`.
  func run(_ space: Workspace) -> (UnsafeMutablePointer<Float>, Int) {
    guard space.batch > Self.chunkImages else {
      return run(space, images: space.batch)
    }

    // A large batch runs in chunks, so that each chunk's activations stay
    // in the cache between layers. With several threads, each thread runs
    // whole chunks on its own workspace, whose scratch has room for one
    // thread, so every layer of a chunk runs on that thread. The threads
    // then never wait for each other inside a layer, and no GEMM is
    // split into slices too thin to run at full speed. The last-stage
    // maps of every chunk are gathered in the large workspace's first
    // main buffer.
    let chunks = (space.batch + Self.chunkImages - 1) / Self.chunkImages
    let workers = min(Parallel.threads, chunks)
    let inners = (0..<workers).map { slot in
      workspace(batch: Self.chunkImages, size: space.size, slot: slot)
    }
    guard workers > 1 else {
      for chunk in 0..<chunks { runChunk(chunk, of: space, on: inners[0]) }
      return (space.main.0.pointer, space.finalSide)
    }

    // Each worker writes only its own chunks' rows of the large workspace.
    let shared = SharedChunks(network: self, space: space, inners: inners)
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
      var chunk = worker
      while chunk < chunks {
        shared.network.runChunk(
          chunk, of: shared.space, on: shared.inners[worker])
        chunk += workers
      }
    }
    return (space.main.0.pointer, space.finalSide)
  }

  /// The state the chunk workers share. Each worker writes disjoint rows.
  private struct SharedChunks: @unchecked Sendable {
    let network: ResNet50
    let space: Workspace
    let inners: [Workspace]
  }

  /// Runs chunk `chunk` of the large workspace `space` on `inner` and
  /// copies its maps and pooled features into `space`.
  private func runChunk(_ chunk: Int, of space: Workspace, on inner: Workspace) {
    let inputFloats = space.size * space.size * 3
    let channels = config.featureChannels
    let start = chunk * Self.chunkImages
    let count = min(Self.chunkImages, space.batch - start)
    inner.input.pointer.update(
      from: space.input.pointer + start * inputFloats,
      count: count * inputFloats)
    let (maps, mapSide) = run(inner, images: count)
    let mapFloats = mapSide * mapSide * channels
    (space.main.0.pointer + start * mapFloats).update(
      from: maps, count: count * mapFloats)
    (space.pooled.pointer + start * channels).update(
      from: inner.pooled.pointer, count: count * channels)
  }

  /// Images per pass when a batch is larger: chosen so that the largest
  /// activation of a chunk (4 x 112 x 112 x 64 floats, 12.8 MB) is near
  /// the size of a server CPU's last-level cache.
  // NOTE: 4 is an estimate for this engine; it was not tuned on a quiet
  // machine.
  static let chunkImages = 4

  /// Runs the first `images` images of the workspace's input.
  private func run(
    _ space: Workspace, images n: Int
  ) -> (UnsafeMutablePointer<Float>, Int) {
    precondition(
      space.size >= 32, "resnet50: input \(space.size) is below 32 pixels")
    var current = space.main.0.pointer
    var spare = space.main.1.pointer

    // Stem: [n, s, s, 3] -> [n, s/2, s/2, base] -> pool [n, s/4, s/4, base]
    stem.forward(
      input: space.input.pointer, n: n, height: space.size,
      width: space.size, output: spare, scratch: space.scratch,
      accumulate: false, epilogue: .biasReLU(stem.bias.pointer))
    var side = stem.outputSize(space.size)
    MaxPool.forward(
      input: spare, n: n, height: side, width: side,
      channels: stem.outChannels, output: current,
      threads: space.scratch.lanes)
    side = MaxPool.outputSize(side)

    // Stages: [n, s, s, c] -> ... -> [n, s/32, s/32, featureChannels]
    for block in blocks {
      let output = block.forward(
        input: current, n: n, height: side, width: side, spare: spare,
        workspace: space)
      if output != current { swap(&current, &spare) }
      side = block.conv2.outputSize(block.conv1.outputSize(side))
    }

    GlobalAveragePool.forward(
      input: current, n: n, pixels: side * side,
      channels: config.featureChannels, output: space.pooled.pointer)
    return (current, side)
  }
}

extension ResNet50 {
  /// Loads a backbone from weights in torchvision names; keys starting
  /// with a prefix in `ignoring` (such as `fc.`) are skipped.
  public static func load(
    _ source: WeightSource, config: ResNetConfig, ignoring: [String] = []
  ) throws -> ResNet50 {
    try ResNetLoader.load(source, config: config, ignoring: ignoring)
  }

  /// Bytes of the kernels transformed for Winograd F(2x2, 3x3), held
  /// beside the folded weights.
  public var winogradBytes: Int {
    var floats = 0
    for block in blocks {
      floats += block.conv2.winogradKernels?.count ?? 0
    }
    return floats * MemoryLayout<Float>.stride
  }

  /// Bytes held by the folded weights and biases, with the zero padding
  /// of the last panel of packed weights.
  public var weightBytes: Int {
    var floats = stem.weights.count + stem.bias.count
    for block in blocks {
      for conv in [block.conv1, block.conv2, block.conv3]
        + (block.downsample.map { [$0] } ?? [])
      {
        floats += conv.weights.count + conv.bias.count
      }
    }
    return floats * MemoryLayout<Float>.stride
  }

  /// Times `runs` forward passes after one warm-up pass, on a fixed
  /// pseudo-random input; returns seconds per pass.
  public func benchmark(batch: Int, size: Int, runs: Int) -> [Double] {
    let space = workspace(batch: batch, size: size)
    var random = SplitMix64(seed: 3)
    for index in 0..<space.input.count {
      space.input.pointer[index] = Float(random.nextUniform() * 4 - 2)
    }
    _ = run(space)
    var seconds: [Double] = []
    for _ in 0..<runs {
      let start = DispatchTime.now().uptimeNanoseconds
      _ = run(space)
      seconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    return seconds
  }
}
