import Testing

@testable import MyoNeural

@Suite("CAM maps and resampling")
struct CAMAndResampleTests {
  @Test("area averaging halves by pairs")
  func areaHalving() {
    let source: [Float] = [1, 3, 5, 7, 2, 4, 6, 8]  // [2, 4]
    let result = Resampler.resize(
      source, width: 4, height: 2, outWidth: 2, outHeight: 1)
    // Each output averages a 2x2 block: (1+3+2+4)/4, (5+7+6+8)/4.
    #expect(result == [2.5, 6.5])
  }

  @Test("area averaging with fractional coverage")
  func areaThirds() {
    // 3 -> 2: output 0 covers [0, 1.5): 1 * (2/3) + 0.5 * ... of sample 1.
    let result = Resampler.resize(
      [3, 6, 9], width: 3, height: 1, outWidth: 2, outHeight: 1)
    // (3 * 1 + 6 * 0.5) / 1.5 = 4, (6 * 0.5 + 9 * 1) / 1.5 = 8.
    #expect(abs(result[0] - 4) < 1e-6)
    #expect(abs(result[1] - 8) < 1e-6)
  }

  @Test("bilinear doubling uses half-pixel centres")
  func bilinearDoubling() {
    let result = Resampler.resize(
      [0, 4], width: 2, height: 1, outWidth: 4, outHeight: 1)
    // Centres at input -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1).
    #expect(result == [0, 1, 3, 4])
  }

  @Test("CAM upsampling onto the crop")
  func camUpsampling() {
    let cam = CAMMap(
      values: [0, 4], width: 2, height: 1,
      crop: CropBox(x: 5, y: 5, width: 4, height: 1))
    #expect(cam.upsampled() == [0, 1, 3, 4])
    let overlay = cam.overlay(scaling: .minMax)
    #expect(overlay.values == [0, 0.25, 0.75, 1])
    #expect(!overlay.isAllNegative)
    let fixed = cam.overlay(scaling: .fixed(low: 0, high: 8))
    #expect(fixed.values == [0, 0.125, 0.375, 0.5])
  }

  @Test("shared scale spans every map")
  func sharedScale() {
    let crop = CropBox(x: 0, y: 0, width: 2, height: 1)
    let first = CAMMap(values: [-1, 2], width: 2, height: 1, crop: crop)
    let second = CAMMap(values: [3, 0.5], width: 2, height: 1, crop: crop)
    let negative = CAMMap(values: [-1, -2], width: 2, height: 1, crop: crop)
    #expect(
      CAMMap.sharedScale([first, second, negative]) == .fixed(low: 0, high: 3))
    #expect(CAMMap.sharedScale([negative]) == nil)
  }

  @Test("all-negative map is reported, not stretched")
  func allNegative() {
    let cam = CAMMap(
      values: [-3, -1, -2, 0], width: 2, height: 2,
      crop: CropBox(x: 0, y: 0, width: 4, height: 4))
    #expect(cam.isAllNegative)
    let overlay = cam.overlay(scaling: .minMax)
    #expect(overlay.isAllNegative)
    #expect(overlay.values.allSatisfy { $0 == 0 })
    #expect(overlay.values.count == 16)
  }

  @Test(
    "centre crop is the central square",
    arguments: [
      (320, 200, CropBox(x: 60, y: 0, width: 200, height: 200)),
      (100, 300, CropBox(x: 0, y: 100, width: 100, height: 100)),
      (7, 7, CropBox(x: 0, y: 0, width: 7, height: 7)),
    ])
  func centreCrop(width: Int, height: Int, expected: CropBox) {
    #expect(CropBox.centre(width: width, height: height) == expected)
  }

  struct KernelCase: Sendable {
    var environment: [String: String]
    var loaded: String
    var flags: Set<String>
    var expected: String?
  }

  static let avx512: Set<String> = [
    "avx2", "fma", "avx512f", "avx512bw", "avx512dq", "avx512vl",
  ]
  static let avx2: Set<String> = ["avx2", "fma"]
  static let kernelCases: [KernelCase] = [
    KernelCase(
      environment: [:], loaded: "Prescott", flags: avx512, expected: "SKYLAKEX"),
    KernelCase(
      environment: [:], loaded: "Prescott", flags: avx2, expected: "HASWELL"),
    KernelCase(
      environment: [:], loaded: "Prescott", flags: ["sse3"], expected: nil),
    KernelCase(environment: [:], loaded: "Zen", flags: avx2, expected: nil),
    KernelCase(environment: [:], loaded: "Haswell", flags: avx2, expected: nil),
    KernelCase(
      environment: ["OPENBLAS_CORETYPE": "PRESCOTT"], loaded: "Prescott",
      flags: avx2,
      expected: nil),
    KernelCase(
      environment: ["MYOSCOPE_BLAS_REEXEC": "1"], loaded: "Prescott",
      flags: avx2, expected: nil),
  ]

  @Test("kernel choice", arguments: kernelCases)
  func kernelChoice(_ item: KernelCase) {
    #expect(
      BLASKernel.kernelToForce(
        environment: item.environment, loadedKernel: item.loaded,
        flags: item.flags)
        == item.expected)
  }
  @Test("OpenBLAS product matches the plain loop")
  func blasVerified() {
    #expect(BLASKernel.isVerified)
  }
}
