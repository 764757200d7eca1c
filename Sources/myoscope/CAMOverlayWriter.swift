import Foundation
import MyoImaging
import MyoNeural

/// Writes a slice in its default window with the class activation map
/// blended over the crop, as an RGB PNG.
enum CAMOverlayWriter {
  static func write(
    image: ScalarImage, slice: SliceClassification, to path: String
  ) throws {
    let window = image.defaultWindow
    var rgb = [UInt8](repeating: 0, count: image.width * image.height * 3)
    for index in 0..<(image.width * image.height) {
      let gray = UInt8(
        max(0, min(255, window.intensity(image.values[index]) * 255)))
      rgb[index * 3] = gray
      rgb[index * 3 + 1] = gray
      rgb[index * 3 + 2] = gray
    }
    if let cam = slice.cam {
      let overlay = cam.overlay(scaling: .minMax)
      if !overlay.isAllNegative {
        let crop = cam.crop
        for row in 0..<crop.height {
          for column in 0..<crop.width {
            let v = overlay.values[row * crop.width + column]
            let index = ((crop.y + row) * image.width + crop.x + column) * 3
            let colour = heat(v)
            let alpha = 0.5 * v
            for c in 0..<3 {
              let base = Float(rgb[index + c])
              rgb[index + c] = UInt8(base * (1 - alpha) + colour[c] * alpha)
            }
          }
        }
      }
    }
    let bytes = try PNGCodec.encodeRGB(
      rgb, width: image.width, height: image.height)
    do {
      try Data(bytes).write(to: URL(fileURLWithPath: path))
    } catch {
      throw NeuralError.unreadable(
        path: path, reason: "cannot write: \(error.localizedDescription)")
    }
  }

  /// Black to red to yellow to white as v goes from 0 to 1.
  static func heat(_ v: Float) -> [Float] {
    [
      min(1, v * 3) * 255, min(1, max(0, v * 3 - 1)) * 255,
      min(1, max(0, v * 3 - 2)) * 255,
    ]
  }
}
