import Foundation
import Testing
import MyoSupport

@testable import MyoNeural

/// Weight paths that are not regular files are rejected before the open,
/// so a FIFO cannot block loading.
@Suite("weight file paths")
struct WeightPathTests {
  @Test("FIFO, device and folder are rejected")
  func notRegularFiles() throws {
    let folder = NSTemporaryDirectory() + "myoscope-weights-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let fifo = folder + "/model.safetensors"
    #expect(mkfifo(fifo, 0o600) == 0)
    #expect(throws: NeuralError.unreadable(
      path: fifo, reason: "it is not a regular file (a FIFO); give the .safetensors file")) {
      try SafeTensorsFile(path: fifo)
    }
    #expect(throws: NeuralError.unreadable(
      path: "/dev/zero",
      reason: "it is not a regular file (a character device); give the .safetensors file")) {
      try Classifier.load(bundle: "/dev/zero")
    }
    #expect(throws: NeuralError.unreadable(path: folder, reason: "it is a folder")) {
      try SHA256.file(folder)
    }
  }
}
