import Foundation

/// The code that multiplies a convolution's input with its weights.
public enum ConvolutionKernels: String, Sendable {
  /// The register-blocked kernels of this package (`PanelGEMM`), on
  /// weights packed at load time, for x86-64 processors with AVX2 and
  /// FMA.
  case panels
  /// OpenBLAS's SGEMM on im2col tiles: every other processor.
  case openBLAS = "openblas"

  /// The kernels this process uses: `panels` where the processor has the
  /// instructions they are compiled for, unless MYOSCOPE_KERNELS is
  /// `openblas`. Any other value of it gets a warning on standard error
  /// and the default.
  public static let preferred: ConvolutionKernels = {
    let requested = ProcessInfo.processInfo.environment["MYOSCOPE_KERNELS"]
    switch requested?.lowercased() {
    case ConvolutionKernels.openBLAS.rawValue:
      return .openBLAS
    case nil, "", ConvolutionKernels.panels.rawValue:
      return available[0]
    case .some:
      // String(reflecting:) escapes control characters in the value.
      FileHandle.standardError.write(
        Data(
          ("myoscope: invalid MYOSCOPE_KERNELS value"
            + " \(String(reflecting: requested ?? "")); set it to openblas"
            + " or unset it (using the default)\n").utf8))
      return available[0]
    }
  }()

  /// The kernels this processor can run, the preferred first.
  static let available: [ConvolutionKernels] =
    panelsSupported(flags: BLASKernel.cpuFlags()) ? [.panels, .openBLAS] : [.openBLAS]

  /// Returns whether a processor with these /proc/cpuinfo flags runs the
  /// panel kernels. They are compiled for Haswell's instruction set
  /// (AVX2, FMA, BMI1, BMI2, F16C, LZCNT and MOVBE).
  static func panelsSupported(flags: Set<String>) -> Bool {
    #if arch(x86_64)
      return ["avx", "avx2", "fma", "bmi1", "bmi2", "f16c", "movbe"]
        .allSatisfy(flags.contains)
        && (flags.contains("abm") || flags.contains("lzcnt"))
    #else
      return false
    #endif
  }

  /// A description for `model info` and the benchmark.
  public var summary: String {
    switch self {
    case .panels: return "myoscope AVX2 panels"
    case .openBLAS: return "OpenBLAS SGEMM on im2col tiles"
    }
  }
}
