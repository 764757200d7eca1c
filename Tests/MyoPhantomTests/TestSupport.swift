import Foundation
import MyoImaging

@testable import MyoPhantom

/// Helpers shared by the phantom tests.
enum TestSupport {
  /// A fresh empty folder under the temporary directory.
  static func temporaryFolder(_ name: String) throws -> String {
    let path = NSTemporaryDirectory() + "myoscope-phantom-\(name)-"
      + UUID().uuidString
    try FileManager.default.createDirectory(
      atPath: path, withIntermediateDirectories: true)
    return path
  }

  /// The Python interpreter with numpy, pydicom and nibabel, from
  /// MYOSCOPE_PYTHON, or nil when it is unset.
  static var python: String? {
    let value = ProcessInfo.processInfo.environment["MYOSCOPE_PYTHON"]
    return value?.isEmpty == false ? value : nil
  }

  /// The message of a test skipped for want of Python.
  static let noPython =
    "skipped: MYOSCOPE_PYTHON is unset; scripts/test sets it to a venv"
    + " with numpy, pydicom and nibabel"

  /// Runs a Python script with arguments and returns its standard output
  /// parsed as JSON.
  static func runPython(_ script: String, _ arguments: [String]) throws
    -> Any
  {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python!)
    process.arguments = ["-c", script] + arguments
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    let errorData = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw PythonFailure(
        message: String(decoding: errorData, as: UTF8.self))
    }
    return try JSONSerialization.jsonObject(with: data)
  }

  /// A failed Python reference run, with its standard error.
  struct PythonFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { "the Python reference failed: \(message)" }
  }

  /// Pixels of a label whose four neighbours carry the same label, so
  /// that edges blurred by partial volume are left out, and with no
  /// tendon in the 3 x 3 block around them, whose dark signal is not fat.
  static func interior(
    of label: UInt8, in slice: RenderedSlice, columns: Range<Int>
  ) -> [Int] {
    var result: [Int] = []
    let width = slice.width
    for row in 1..<(slice.height - 1) {
      for column in columns where column > 0 && column < width - 1 {
        let pixel = row * width + column
        guard slice.labels[pixel] == label else { continue }
        let neighbours = [pixel - 1, pixel + 1, pixel - width, pixel + width]
        let block = (-1...1).flatMap { dy in
          (-1...1).map { dx in pixel + dy * width + dx }
        }
        if neighbours.allSatisfy({ slice.labels[$0] == label })
          && !block.contains(where: { slice.tissues[$0] == .tendon })
        {
          result.append(pixel)
        }
      }
    }
    return result
  }

  /// The fat fraction of pixels measured from their intensities: the
  /// value divided by the coil sensitivity, placed between pure muscle
  /// and pure fat.
  static func measuredFatFraction(_ pixels: [Int], in slice: RenderedSlice)
    -> Double
  {
    var sum = 0.0
    let muscle = Double(slice.muscleLevel)
    let fat = Double(slice.fatLevel)
    for pixel in pixels {
      let value = Double(slice.pixels[pixel]) / Double(slice.bias[pixel])
      sum += (value - muscle) / (fat - muscle)
    }
    return sum / Double(max(pixels.count, 1))
  }

  /// The columns of a side's leg on a slice: the patient's right leg is
  /// on the left half of the image.
  static func columns(of side: Side, in slice: RenderedSlice) -> Range<Int> {
    side == .right ? 0..<(slice.width / 2) : (slice.width / 2)..<slice.width
  }
}
