import Foundation
import MyoNeural

/// Times the ResNet50 forward pass at 224 x 224 on a seeded backbone.
enum BenchCommand: Command {
  static let name = "bench"
  static let summary = "time the ResNet50 forward pass or building a frame"
  static let usage = """
    usage: myoscope bench [--batch N,...] [--runs N] [--threads N]
                          [--variant v1.5|v1] [--size N] [--seed N]
                          [--layers] [--export FILE]
           myoscope bench --frame FILE [--cells COLSxROWS] [--slice N]
                          [--runs N]

    Prints the median milliseconds per image of the backbone forward pass
    (to the last convolutional stage and its average pool) for each batch
    size (default 1,32), on weights generated from --seed (default 1),
    with the convolution kernels, the OpenBLAS kernel, the thread count
    and the peak resident memory of the process. --runs sets the timed
    passes per batch size (default 10, after one warm-up pass). --layers
    also prints each convolution's milliseconds per image and its rate in
    GFLOP/s of the direct method (Winograd layers do fewer operations
    than that); where a batch runs in chunks on several threads, the
    threads' times add up, so the rate is per thread. --threads sets the thread count
    (default OPENBLAS_NUM_THREADS, else every core). --export writes the
    generated backbone to FILE as safetensors in torchvision names, so
    that another runtime can time the same weights
    (scripts/reference/bench_onnxruntime.py), and does not time anything.

    With --frame it instead times building one viewer frame of slice N
    (default 1) of FILE in COLSxROWS cells (default 200x60): windowing,
    area averaging and the half-block encoding, as the median of --runs
    runs (default 10, after a warm-up), against copying the slice's pixels
    once, measured in the same runs, and prints the ratio.
    """

  static func run(_ arguments: inout Arguments) throws -> Int32 {
    if let framePath = try arguments.option("--frame") {
      let cells = try arguments.cellSize("--cells", default: (200, 60))
      let slice = try arguments.integer(
        "--slice", default: 1, range: 1...100_000)
      let runs = try arguments.integer("--runs", default: 10, range: 1...1000)
      if let extra = try arguments.positionals().first {
        throw UsageError.unexpectedArgument(extra, command: name)
      }
      return try frame(
        path: framePath, cells: cells, sliceNumber: slice, runs: runs)
    }
    let batchText = try arguments.option("--batch") ?? "1,32"
    let runs = try arguments.integer("--runs", default: 10, range: 1...1000)
    let threads = try arguments.option("--threads")
    let variantText = try arguments.option("--variant") ?? "v1.5"
    let size = try arguments.integer("--size", default: 224, range: 32...1024)
    let seed = try arguments.integer("--seed", default: 1, range: 0...Int.max)
    let export = try arguments.option("--export")
    let layers = arguments.flag("--layers")
    let rest = try arguments.positionals()
    if let extra = rest.first {
      throw UsageError.unexpectedArgument(extra, command: name)
    }
    guard let variant = ResNetVariant(rawValue: variantText) else {
      throw UsageError.invalidValue(
        variantText, option: "--variant", expected: "v1.5 or v1")
    }
    var batches: [Int] = []
    for item in batchText.split(separator: ",") {
      guard let value = Int(item), (1...256).contains(value) else {
        throw UsageError.invalidValue(
          batchText, option: "--batch",
          expected: "batch sizes from 1 to 256, comma-separated")
      }
      batches.append(value)
    }
    BLASKernel.configureThreads(try threadCount(threads))

    let config = ResNetConfig(variant: variant)
    let generated = GeneratedWeights(seed: UInt64(seed), config: config)
    if let export {
      try generated.export(to: export)
      print(
        "wrote \(export): \(GeneratedWeights.generator) seed \(seed), \(variant.rawValue)"
      )
      return ExitStatus.success
    }
    guard BLASKernel.isVerified else {
      FileHandle.standardError.write(
        Data(
          "myoscope: OpenBLAS returned a wrong product; unset OPENBLAS_CORETYPE\n"
            .utf8))
      return ExitStatus.failure
    }
    let network = try ResNet50.load(generated, config: config)
    print(
      "resnet50 \(variant.rawValue) \(size)x\(size), generated weights seed \(seed)"
    )
    print("convolutions: \(ConvolutionKernels.preferred.summary)")
    print("BLAS: \(BLASKernel.summary)")
    for batch in batches {
      let cpuBefore = cpuSeconds()
      if layers { LayerTimes.start() }
      let timing = network.benchmark(batch: batch, size: size, runs: runs)
      let entries = layers ? LayerTimes.stop() : []
      let cpu = (cpuSeconds() - cpuBefore) / Double((runs + 1) * batch) * 1000
      let perImage = timing.map { $0 / Double(batch) * 1000 }.sorted()
      let median = perImage[perImage.count / 2]
      print(
        String(
          format:
            "batch %3d: median %.1f ms per image (min %.1f, max %.1f, %d runs);"
            + " CPU time %.1f ms per image",
          batch, median, perImage.first!, perImage.last!, runs, cpu))
      var stages: [(String, Double)] = []
      for entry in entries {
        // Every pass, the warm-up included, ran each layer once per
        // chunk, so the seconds per image count all of those calls.
        let seconds = entry.seconds / Double((runs + 1) * batch)
        let rate = Double(entry.operations) / max(seconds, 1e-12) / 1e9
        print(
          "  " + entry.name.padding(toLength: 22, withPad: " ", startingAt: 0)
            + String(format: "%7.2f ms  %6.1f GFLOP/s", seconds * 1000, rate))
        // The stage is the name up to its first dot, and conv1 is the
        // stem.
        let prefix = String(entry.name.prefix { $0 != "." })
        let stage = prefix.hasPrefix("layer") ? prefix : "stem"
        if stages.last?.0 == stage {
          stages[stages.count - 1].1 += seconds
        } else {
          stages.append((stage, seconds))
        }
      }
      if !stages.isEmpty {
        let line = stages.map { String(format: "%@ %.2f", $0.0, $0.1 * 1000) }
        print("  by stage (ms per image): " + line.joined(separator: ", "))
      }
    }
    print(
      String(format: "peak resident memory: %.0f MB", peakResidentMegabytes()))
    print(
      String(
        format: "weights: %.0f MB, plus %.0f MB of Winograd kernels",
        Double(network.weightBytes) / 1_048_576,
        Double(network.winogradBytes) / 1_048_576))
    return ExitStatus.success
  }

  /// Parses and checks a --threads value.
  static func threadCount(_ text: String?) throws -> Int? {
    guard let text else { return nil }
    guard let value = Int(text), (1...256).contains(value) else {
      throw UsageError.invalidValue(
        text, option: "--threads", expected: "an integer from 1 to 256")
    }
    return value
  }

  /// Returns the user plus system CPU time of the process in seconds.
  static func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let user =
      Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
    let system =
      Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    return user + system
  }

  /// Returns the peak resident set size of the process in megabytes
  /// (getrusage reports kilobytes on Linux).
  static func peakResidentMegabytes() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
  }
}
