import Foundation
import Testing

@testable import MyoImaging

/// Series grouping and slice order in a case folder of hand-built files.
@Suite struct SeriesGroupTests {
  static func slice(
    series: String, number: Int, description: String, orientation: String,
    z: Double, instance: Int, repetition: String
  ) -> [UInt8] {
    var b = DICOMBuilder()
    b.preamble()
    b.meta(transferSyntax: "1.2.840.10008.1.2.1")
    // (0008,103E) Series Description.
    b.text(0x0008, 0x103E, "LO", description)
    // (0018,0080) Repetition Time and (0018,0081) Echo Time, in ms.
    b.text(0x0018, 0x0080, "DS", repetition)
    b.text(0x0018, 0x0081, "DS", "12")
    // (0020,000E) Series Instance UID, (0020,0011) Series Number,
    // (0020,0013) Instance Number.
    b.text(0x0020, 0x000E, "UI", series)
    b.text(0x0020, 0x0011, "IS", "\(number)")
    b.text(0x0020, 0x0013, "IS", "\(instance)")
    // (0020,0032) Image Position (Patient), (0020,0037) Orientation.
    b.text(0x0020, 0x0032, "DS", "0\\0\\\(z)")
    b.text(0x0020, 0x0037, "DS", orientation)
    b.imagePixel(rows: 1, columns: 1, allocated: 8, stored: 8)
    b.element(0x7FE0, 0x0010, "OB", [UInt8(instance), 0])
    return b.bytes
  }

  /// A new folder per call: the tests run in parallel, and one that
  /// rewrote a shared folder would change the files another reads.
  static func folder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("myoscope-series-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let axial = "1\\0\\0\\0\\1\\0"
    let sagittal = "0\\1\\0\\0\\0\\-1"
    // Two sagittal T2 slices, then three axial T1 slices whose names do
    // not follow their positions.
    let files: [(String, [UInt8])] = [
      ("01", slice(series: "1.2.1", number: 1, description: "sag T2", orientation: sagittal, z: 0, instance: 1, repetition: "3000")),
      ("02", slice(series: "1.2.1", number: 1, description: "sag T2", orientation: sagittal, z: 0, instance: 2, repetition: "3000")),
      ("03", slice(series: "1.2.2", number: 2, description: "ax T1 TSE", orientation: axial, z: 30, instance: 1, repetition: "600")),
      ("04", slice(series: "1.2.2", number: 2, description: "ax T1 TSE", orientation: axial, z: 10, instance: 2, repetition: "600")),
      ("05", slice(series: "1.2.2", number: 2, description: "ax T1 TSE", orientation: axial, z: 20, instance: 3, repetition: "600")),
    ]
    for (name, bytes) in files {
      try Data(bytes).write(to: folder.appendingPathComponent(name + ".dcm"))
    }
    return folder
  }

  @Test func groupsBySeriesAndPrefersAxialT1() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let files = try CaseLibrary.imageFiles(in: folder.path)
    let groups = SeriesGroup.groups(of: files)
    try #require(groups.count == 2)
    #expect(groups[0].uid == "1.2.1")
    #expect(!groups[0].isAxial)
    #expect(!groups[0].isT1)
    #expect(groups[1].isAxial)
    #expect(groups[1].isT1)
    let preferred = try #require(SeriesGroup.preferred(groups))
    #expect(preferred.uid == "1.2.2")
    // Ordered by position along the normal: z 10, 20, 30.
    #expect(preferred.slices.map(\.fileName) == ["04.dcm", "05.dcm", "03.dcm"])
  }

  @Test func caseOpensPreferredSeries() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let entry = try #require(try CaseLibrary.cases(at: folder.path).first)
    let slices = CaseLibrary.slices(of: entry)
    #expect(slices.map(\.fileName) == ["04.dcm", "05.dcm", "03.dcm"])
    #expect(CaseLibrary.series(of: entry).count == 2)
  }
}

/// Choosing a series other than the preferred one.
@Suite struct SeriesChoiceTests {
  @Test func otherSeriesIsSelectable() throws {
    let folder = try SeriesGroupTests.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let entry = try #require(try CaseLibrary.cases(at: folder.path).first)
    let sagittal = CaseLibrary.slices(of: entry, series: "1.2.1")
    // Same position, so ordered by instance number.
    #expect(sagittal.map(\.fileName) == ["01.dcm", "02.dcm"])
    let axial = CaseLibrary.slices(of: entry, series: "1.2.2")
    #expect(axial.map(\.fileName) == ["04.dcm", "05.dcm", "03.dcm"])
  }

  @Test func unknownSeriesFallsBackToPreferred() throws {
    let folder = try SeriesGroupTests.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let entry = try #require(try CaseLibrary.cases(at: folder.path).first)
    let slices = CaseLibrary.slices(of: entry, series: "9.9.9")
    #expect(slices.map(\.fileName) == ["04.dcm", "05.dcm", "03.dcm"])
  }
}

/// Enhanced multi-frame files: frames shown in order along the normal.
@Suite struct EnhancedFrameOrderTests {
  /// Encodes an enhanced image whose frames lie at the given z positions,
  /// axial (orientation in the shared groups), one pixel per frame.
  static func enhanced(z: [Double]) -> [UInt8] {
    func sequence(_ tag: (Int, Int), _ items: [DICOMBuilder]) -> [UInt8] {
      var content = DICOMBuilder()
      for item in items {
        content.delimiter(0xE000, length: UInt32(item.bytes.count))
        content.bytes += item.bytes
      }
      var element = DICOMBuilder()
      element.element(tag.0, tag.1, "SQ", content.bytes)
      return element.bytes
    }
    var b = DICOMBuilder()
    b.preamble()
    b.meta(transferSyntax: "1.2.840.10008.1.2.1")
    // (0028,0008) Number of Frames.
    b.text(0x0028, 0x0008, "IS", "\(z.count)")
    b.imagePixel(rows: 1, columns: 1, allocated: 8, stored: 8)
    // Shared groups: Plane Orientation (0020,9116) with an axial
    // Image Orientation (Patient).
    var orientation = DICOMBuilder()
    orientation.text(0x0020, 0x0037, "DS", "1\\0\\0\\0\\1\\0")
    var shared = DICOMBuilder()
    shared.bytes = sequence((0x0020, 0x9116), [orientation])
    // (5200,9229) Shared Functional Groups Sequence.
    b.bytes += sequence((0x5200, 0x9229), [shared])
    // (5200,9230) Per-frame groups: Plane Position (0020,9113) per frame.
    let frames = z.map { value -> DICOMBuilder in
      var position = DICOMBuilder()
      position.text(0x0020, 0x0032, "DS", "0\\0\\\(value)")
      var item = DICOMBuilder()
      item.bytes = sequence((0x0020, 0x9113), [position])
      return item
    }
    b.bytes += sequence((0x5200, 0x9230), frames)
    var pixels = (0..<z.count).map { UInt8($0) }
    if pixels.count % 2 == 1 { pixels.append(0) }
    b.element(0x7FE0, 0x0010, "OB", pixels)
    return b.bytes
  }

  static func order(z: [Double]) throws -> [Int] {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("myoscope-enhanced-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("enhanced.dcm")
    try Data(enhanced(z: z)).write(to: file)
    let entry = try #require(try CaseLibrary.cases(at: folder.path).first)
    #expect(SeriesGroup.groups(of: entry.files).first?.slices.map(\.index)
      == CaseLibrary.slices(of: entry).map(\.index))
    return CaseLibrary.slices(of: entry).map(\.index)
  }

  @Test func framesSortAlongNormal() throws {
    #expect(try Self.order(z: [20, 0, 10]) == [1, 2, 0])
  }

  @Test func sharedPositionsKeepFileOrder() throws {
    // Two echoes at each of two positions.
    #expect(try Self.order(z: [10, 10, 0, 0]) == [0, 1, 2, 3])
  }
}
