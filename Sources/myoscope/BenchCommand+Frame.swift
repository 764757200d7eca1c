import Foundation
import MyoImaging
import MyoTerminal

/// `myoscope bench --frame FILE`: times building one viewer frame, from a
/// decoded slice to half-block cells, against a copy of the same pixels.
extension BenchCommand {
  static func frame(
    path: String, cells: (columns: Int, rows: Int), sliceNumber: Int, runs: Int
  ) throws -> Int32 {
    let images = try ImageFile.readAll(path: path)
    guard sliceNumber <= images.count else {
      throw UsageError.invalidValue(
        "\(sliceNumber)", option: "--slice",
        expected: "1 to \(images.count) for \(path)")
    }
    let image = images[sliceNumber - 1]
    let composition = SliceComposition(
      image: image, display: SliceDisplay(window: image.defaultWindow))
    let rect = CellRect(x: 0, y: 0, width: cells.columns, height: cells.rows)
    let fill = Cell(" ", foreground: .white, background: .black)

    func seconds(_ body: () -> Void) -> Double {
      let start = DispatchTime.now().uptimeNanoseconds
      body()
      return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
    func median(_ values: [Double]) -> Double {
      values.sorted()[values.count / 2]
    }

    // The anchor: copying the slice's pixels (32-bit floats) once, the
    // least work any frame of this slice needs.
    var copy = [Float](repeating: 0, count: image.values.count)
    var checksum: Float = 0
    func copyPass() {
      copy.withUnsafeMutableBytes { target in
        image.values.withUnsafeBytes { source in
          _ = memcpy(target.baseAddress!, source.baseAddress!, source.count)
        }
      }
      checksum += copy[copy.count / 2]
    }

    var frames: [Double] = []
    var sampling: [Double] = []
    var copies: [Double] = []
    var cellsShown = 0
    for run in 0...runs {
      // Alternate the measured work so that load on the machine falls on
      // both alike. Run 0 warms up.
      var grid = CellGrid(width: cells.columns, height: cells.rows, fill: fill)
      var composed: ComposedSlice?
      let frame = seconds {
        composed = SliceComposer.draw(
          composition, into: &grid, rect: rect, background: .black,
          mode: .truecolor)
      }
      var samples: [RGB] = []
      let sample = seconds {
        samples = SliceRenderer.samples(
          image, display: composition.display,
          size: composed?.samples ?? (1, 1))
      }
      // Many copies per timing, so that the clock's resolution does not
      // count.
      let repeats = 100
      let copied = seconds { for _ in 0..<repeats { copyPass() } }
      if run > 0 {
        frames.append(frame)
        sampling.append(sample)
        copies.append(copied / Double(repeats))
      }
      cellsShown = (composed?.cells.width ?? 0) * (composed?.cells.height ?? 0)
      checksum += Float(samples.count)
    }
    let frame = median(frames)
    let sample = median(sampling)
    let copied = median(copies)
    print(
      "frame \(cells.columns)x\(cells.rows) cells from \(image.width)x\(image.height)"
        + " pixels (\(cellsShown) image cells), \(runs) runs, medians:")
    print(
      String(
        format: "build frame (window, area average, encode): %.3f ms",
        frame * 1000))
    print(
      String(
        format: "  of which window and area average: %.3f ms, encode: %.3f ms",
        sample * 1000, max(0, frame - sample) * 1000))
    print(
      String(
        format: "anchor, copy of the slice's pixels (%d bytes): %.4f ms",
        image.values.count * 4, copied * 1000))
    print(
      String(
        format: "ratio frame / copy: %.0f (checksum %.0f)", frame / copied,
        checksum.truncatingRemainder(dividingBy: 1000)))
    return ExitStatus.success
  }
}
