import Foundation
import MyoImaging

/// One named label of a label map.
public struct LabelName: Equatable, Sendable {
  /// The id stored in the map.
  public var id: UInt16
  /// The full name, such as "vastus lateralis".
  public var name: String
  /// A short form for the image, such as "VL".
  public var abbreviation: String
}

/// Finds and reads the label map beside a slice: `NAME.labels.png` or
/// `NAME.labels.nii.gz` next to `NAME.ext`, with the legend `labels.csv`
/// (columns id, name, abbreviation) in the slice's folder or its parent.
public enum LabelMaps {
  /// Candidate label map paths for a slice file.
  public static func candidates(for path: String) -> [String] {
    var base = path
    for suffix in [".nii.gz", ".dcm", ".png", ".nii", ".ima", ".img"]
    where base.lowercased().hasSuffix(suffix) {
      base = String(base.dropLast(suffix.count))
      break
    }
    return [
      base + ".labels.png", base + ".labels.nii.gz", base + ".labels.nii",
    ]
  }

  /// The label ids of a slice in display orientation, or nil when there
  /// is no label map or it does not match the slice's size.
  public static func ids(
    for source: SliceSource, size: (width: Int, height: Int)
  ) -> [UInt16]? {
    for candidate in candidates(for: source.path)
    where FileManager.default.fileExists(atPath: candidate) {
      guard let images = try? ImageFile.readAll(path: candidate) else {
        return nil
      }
      let index = images.count == 1 ? 0 : source.index
      guard images.indices.contains(index) else { return nil }
      let map = images[index]
      guard map.width == size.width, map.height == size.height else {
        return nil
      }
      return map.values.map { UInt16(clamping: Int($0.rounded())) }
    }
    return nil
  }

  /// The legend for a slice's folder, empty when there is none.
  public static func legend(for source: SliceSource) -> [UInt16: LabelName] {
    let folder = (source.path as NSString).deletingLastPathComponent
    let parent = (folder as NSString).deletingLastPathComponent
    for candidate in [folder + "/labels.csv", parent + "/labels.csv"] {
      guard let data = FileManager.default.contents(atPath: candidate) else {
        continue
      }
      return parseLegend(String(decoding: data, as: UTF8.self))
    }
    return [:]
  }

  /// Parses `id,name,abbreviation` lines; a header line and malformed
  /// lines are skipped.
  public static func parseLegend(_ text: String) -> [UInt16: LabelName] {
    var result: [UInt16: LabelName] = [:]
    for line in text.split(whereSeparator: \.isNewline) {
      let fields = line.split(separator: ",", omittingEmptySubsequences: false)
        .map { $0.trimmingCharacters(in: .whitespaces) }
      guard fields.count >= 2, let id = UInt16(fields[0]) else { continue }
      let abbreviation =
        fields.count >= 3 && !fields[2].isEmpty
        ? fields[2] : String(fields[1].prefix(3)).uppercased()
      result[id] = LabelName(id: id, name: fields[1], abbreviation: abbreviation)
    }
    return result
  }

  /// Writes each visible label's abbreviation (or id, without a legend)
  /// at the centre of its cells on a composed slice. Labels covering
  /// fewer than 6 cells get no name. A label whose cells form two groups
  /// of columns with a gap between them gets a name on each group, as a
  /// muscle of both thighs does.
  public static func drawNames(
    ids: [UInt16], imageWidth: Int, legend: [UInt16: LabelName],
    composed: ComposedSlice, into grid: inout CellGrid
  ) {
    var cells: [UInt16: [(x: Int, y: Int)]] = [:]
    for row in composed.cells.y..<(composed.cells.y + composed.cells.height) {
      for column in composed.cells.x..<(composed.cells.x + composed.cells.width) {
        guard let pixel = composed.pixel(column: column, row: row) else {
          continue
        }
        let id = ids[pixel.y * imageWidth + pixel.x]
        guard id != 0 else { continue }
        cells[id, default: []].append((column, row))
      }
    }
    var sums: [(id: UInt16, x: Int, y: Int, count: Int)] = []
    for (id, points) in cells {
      // Split at the widest run of columns without the label, if it is
      // wider than 2 columns.
      let columns = Set(points.map(\.x)).sorted()
      var split: Int?
      var widest = 2
      for (left, right) in zip(columns, columns.dropFirst()) where right - left - 1 > widest {
        widest = right - left - 1
        split = right
      }
      let groups = split.map { at in
        [points.filter { $0.x < at }, points.filter { $0.x >= at }]
      } ?? [points]
      for group in groups {
        sums.append(
          (id, group.reduce(0) { $0 + $1.x }, group.reduce(0) { $0 + $1.y }, group.count))
      }
    }
    for (id, x, y, count) in sums where count >= 6 {
      let sum = (x: x, y: y, count: count)
      let name = legend[id]?.abbreviation ?? "\(id)"
      let x = sum.x / sum.count - name.count / 2
      let y = sum.y / sum.count
      let under = grid[max(0, x), y]
      grid.write(
        name, x: x, y: y, foreground: RGB.white,
        background: HalfBlockEncoder.samples(of: under)?.top ?? under.background,
        style: .bold)
    }
  }

  /// A colour per label id from a palette of distinct colours (Okabe and
  /// Ito's eight, then eight more).
  public static func colour(for id: UInt16) -> RGB {
    let palette: [RGB] = [
      RGB(230, 159, 0), RGB(86, 180, 233), RGB(0, 158, 115),
      RGB(240, 228, 66), RGB(0, 114, 178), RGB(213, 94, 0),
      RGB(204, 121, 167), RGB(255, 255, 255), RGB(255, 99, 71),
      RGB(127, 255, 212), RGB(186, 85, 211), RGB(154, 205, 50),
      RGB(255, 182, 193), RGB(100, 149, 237), RGB(244, 164, 96),
      RGB(176, 196, 222),
    ]
    return palette[Int(id) % palette.count]
  }
}
