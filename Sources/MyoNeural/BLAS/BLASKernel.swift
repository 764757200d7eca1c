import Foundation

/// Chooses the OpenBLAS kernel and thread count for this process.
///
/// OpenBLAS 0.3.21 (Debian 12) does not recognise some recent CPUs (for
/// example Xeon Emerald Rapids with AVX-512) and falls back to a generic
/// SSE3 kernel ("Prescott"), several times slower. It reads
/// OPENBLAS_CORETYPE only when the library loads, which happens before
/// `main`, so the fix is to set the variable and re-execute the process.
public enum BLASKernel {
  /// Kernels that use neither AVX2 nor AVX-512: what OpenBLAS picks for a
  /// CPU it does not know. A CPU with AVX2 or AVX-512 running one of these
  /// gets a better kernel.
  static let fallbackKernels: Set<String> = [
    "prescott", "core2", "penryn", "dunnington", "nehalem", "atom",
    "katmai", "coppermine", "northwood", "banias", "sandybridge",
    "bulldozer", "piledriver", "steamroller", "excavator", "barcelona",
    "opteron", "opteron_sse3", "athlon", "bobcat", "unknown",
  ]

  /// The environment variable set on the re-executed process so that it
  /// never re-executes again.
  static let guardVariable = "MYOSCOPE_BLAS_REEXEC"

  /// Chooses the kernel for a CPU's feature flags: SKYLAKEX with AVX-512
  /// (F, BW, DQ, VL), HASWELL with AVX2 and FMA, else nil, which keeps
  /// what OpenBLAS chose.
  static func preferredKernel(flags: Set<String>) -> String? {
    if ["avx512f", "avx512bw", "avx512dq", "avx512vl"].allSatisfy(
      flags.contains)
    {
      return "SKYLAKEX"
    }
    if flags.contains("avx2") && flags.contains("fma") { return "HASWELL" }
    return nil
  }

  /// Decides which kernel to force at process start. It is separate from
  /// the re-exec so that tests can check it.
  static func kernelToForce(
    environment: [String: String], loadedKernel: String, flags: Set<String>
  ) -> String? {
    if environment["OPENBLAS_CORETYPE"] != nil { return nil }
    if environment[guardVariable] != nil { return nil }
    guard fallbackKernels.contains(loadedKernel.lowercased()) else {
      return nil
    }
    return preferredKernel(flags: flags)
  }

  /// Reads the CPU feature flags of the first processor in /proc/cpuinfo.
  /// The set is empty where that file does not exist.
  static func cpuFlags() -> Set<String> {
    guard
      let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
      let line = text.split(separator: "\n").first(where: {
        $0.hasPrefix("flags")
      }),
      let colon = line.firstIndex(of: ":")
    else { return [] }
    return Set(
      line[line.index(after: colon)...].split(separator: " ").map(String.init))
  }

  /// Re-executes the process with OPENBLAS_CORETYPE set when OpenBLAS fell
  /// back to a generic kernel on a CPU that has AVX2 or AVX-512. A value
  /// the user set is always kept. Call first thing in `main`, before any
  /// thread or terminal state exists; it returns when nothing needs doing
  /// or the re-exec failed.
  public static func selectBeforeStart() {
    let environment = ProcessInfo.processInfo.environment
    guard
      let kernel = kernelToForce(
        environment: environment, loadedKernel: BLAS.coreName, flags: cpuFlags()
      )
    else { return }
    setenv("OPENBLAS_CORETYPE", kernel, 1)
    setenv(guardVariable, "1", 1)
    let arguments = CommandLine.arguments
    var pointers: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
    pointers.append(nil)
    execv("/proc/self/exe", &pointers)
    // execv returns only on failure: carry on with the kernel we have.
    for pointer in pointers { free(pointer) }
  }

  /// A description for `model info` and the benchmark, such as
  /// "Haswell (OPENBLAS_CORETYPE=HASWELL set by myoscope), 2 threads".
  public static var summary: String {
    let environment = ProcessInfo.processInfo.environment
    var text = BLAS.coreName
    if let forced = environment["OPENBLAS_CORETYPE"] {
      let who =
        environment[guardVariable] != nil
        ? "set by myoscope" : "from the environment"
      text += " (OPENBLAS_CORETYPE=\(forced) \(who))"
    }
    let threads = Parallel.threads
    return text + ", \(threads) thread\(threads == 1 ? "" : "s")"
  }

  /// Sets the thread count of the layers: `requested` when given, else
  /// OPENBLAS_NUM_THREADS when set, else every active core. OpenBLAS
  /// itself stays at one thread, called from each of those threads.
  // NOTE: the training GEMMs (the head and the fine-tuned last stage)
  // call OpenBLAS directly, so they now run on one thread.
  public static func configureThreads(_ requested: Int? = nil) {
    let environment = ProcessInfo.processInfo.environment
    let count =
      requested ?? environment["OPENBLAS_NUM_THREADS"].flatMap { Int($0) }
      ?? ProcessInfo.processInfo.activeProcessorCount
    Parallel.threads = max(1, count)
    BLAS.setThreadCount(1)
  }

  /// Whether OpenBLAS computes a 37 x 29 x 53 product correctly, compared
  /// with a plain double-precision loop. It is checked once per process,
  /// so that a kernel that computes wrong results is caught.
  public static let isVerified: Bool = {
    let m = 37, n = 29, k = 53
    var random = SplitMix64(seed: 7)
    let a = (0..<(m * k)).map { _ in Float(random.nextUniform() - 0.5) }
    let b = (0..<(k * n)).map { _ in Float(random.nextUniform() - 0.5) }
    var c = [Float](repeating: 0, count: m * n)
    // M = 37, N = 29, K = 53, all matrices packed (lda k, ldb n, ldc n).
    BLAS.sgemm(m: m, n: n, k: k, a: a, lda: k, b: b, ldb: n, c: &c, ldc: n)
    for i in 0..<m {
      for j in 0..<n {
        var sum = 0.0
        for p in 0..<k { sum += Double(a[i * k + p]) * Double(b[p * n + j]) }
        if abs(sum - Double(c[i * n + j])) > 1e-4 { return false }
      }
    }
    return true
  }()
}
