import CBLAS

/// The one wrapper around OpenBLAS: single-precision GEMM, the kernel
/// name and the thread count. No other file imports CBLAS.
public enum BLAS {
  /// Computes `C = alpha * A * B + beta * C` on row-major matrices.
  ///
  /// A is `[m, k]` with leading dimension `lda`, B is `[k, n]` with
  /// leading dimension `ldb` (or `[n, k]` when `transposeB`), and C is
  /// `[m, n]` with leading dimension `ldc`. Callers state in a comment how
  /// their tensors map onto M, N and K.
  @inline(__always)
  static func sgemm(
    m: Int, n: Int, k: Int,
    a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int, transposeB: Bool = false,
    c: UnsafeMutablePointer<Float>, ldc: Int,
    alpha: Float = 1, beta: Float = 0
  ) {
    precondition(
      m > 0 && n > 0 && k > 0 && lda >= k && ldc >= n
        && ldb >= (transposeB ? k : n),
      "sgemm: invalid shape m \(m) n \(n) k \(k) lda \(lda) ldb \(ldb)"
        + " ldc \(ldc)")
    cblas_sgemm(
      CblasRowMajor, CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
      Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb),
      beta, c, Int32(ldc))
  }

  /// The name of the kernel that OpenBLAS chose when it loaded, such as
  /// "Haswell", "SkylakeX", "Zen" or "Prescott".
  public static var coreName: String {
    guard let name = openblas_get_corename() else { return "unknown" }
    return String(cString: name)
  }

  /// The number of threads OpenBLAS uses for one call.
  public static var threadCount: Int {
    Int(openblas_get_num_threads())
  }

  /// Sets the number of threads OpenBLAS uses for one call; see
  /// `BLASKernel.configureThreads` for the default.
  static func setThreadCount(_ count: Int) {
    openblas_set_num_threads(Int32(max(1, count)))
  }
}
