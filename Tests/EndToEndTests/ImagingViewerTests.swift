import Foundation
import MyoImaging
import Testing

private let canRun = TestPaths.binary != nil && TestPaths.tmuxAvailable

/// Writes a DICOM case of 8 x 8 slices in two series: two sagittal
/// slices (series 1) and three axial T1 slices (series 2).
private func twoSeriesCase() throws -> URL {
  let folder = FileManager.default.temporaryDirectory
    .appendingPathComponent("myoscope-two-series-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  let series: [(uid: String, number: Int, description: String, orientation: [Double], count: Int)] = [
    ("1.2.826.0.1.3680043.10.1.1", 1, "sag STIR", [0, 1, 0, 0, 0, -1], 2),
    ("1.2.826.0.1.3680043.10.1.2", 2, "ax T1 TSE", [1, 0, 0, 0, 1, 0], 3),
  ]
  for item in series {
    for index in 0..<item.count {
      let path = folder.appendingPathComponent("\(item.number)-\(index).dcm").path
      var writer = DICOMWriter(path: path)
      try writer.set(.sopClassUID, "UI", "1.2.840.10008.5.1.4.1.1.4")
      try writer.set(DICOMTag(0x0008, 0x0018), "UI", "\(item.uid).\(index + 1)")
      try writer.set(.modality, "CS", "MR")
      try writer.set(.seriesDescription, "LO", item.description)
      try writer.set(.seriesInstanceUID, "UI", item.uid)
      try writer.set(.seriesNumber, "IS", "\(item.number)")
      try writer.set(.instanceNumber, "IS", "\(index + 1)")
      try writer.set(.imagePositionPatient, decimals: [0, 0, Double(index) * 5])
      try writer.set(.imageOrientationPatient, decimals: item.orientation)
      writer.set(.samplesPerPixel, unsignedShort: 1)
      try writer.set(.photometricInterpretation, "CS", "MONOCHROME2")
      writer.set(.rows, unsignedShort: 8)
      writer.set(.columns, unsignedShort: 8)
      writer.set(.bitsAllocated, unsignedShort: 16)
      writer.set(.bitsStored, unsignedShort: 16)
      writer.set(.highBit, unsignedShort: 15)
      writer.set(.pixelRepresentation, unsignedShort: 0)
      writer.set(.pixelData, words: (0..<64).map { UInt16($0 * (index + 1)) })
      let bytes = try writer.encode(
        implementationUID: "1.2.826.0.1.3680043.10.1", implementationVersion: "TEST")
      try Data(bytes).write(to: URL(fileURLWithPath: path))
    }
  }
  return folder
}

/// Starts the viewer on `path` in a fresh tmux session with truecolour;
/// the shell prints the exit status after it.
private func openViewer(_ binary: String, _ path: String, width: Int, height: Int) throws
  -> TmuxSession
{
  let session = try TmuxSession(
    width: width, height: height, directory: TestPaths.packageRoot,
    environment: ["COLORTERM": "truecolor"])
  try session.run("\(binary) \(path); echo exit=$?")
  return session
}

@Suite(
  "Imaging in the viewer", .serialized,
  .enabled(if: canRun, "needs tmux and the release binary (run scripts/test)"))
struct ImagingViewerTests {
  @Test("s switches to the other series")
  func seriesKey() throws {
    let binary = try #require(TestPaths.binary)
    let folder = try twoSeriesCase()
    defer { try? FileManager.default.removeItem(at: folder) }
    let session = try openViewer(binary, "\(folder.path)", width: 140, height: 40)
    // The case opens on the axial T1 series: three slices.
    try session.waitFor { $0.contains("slice 1/3") }
    try session.keys("s")
    let sagittal = try session.waitFor { $0.contains("slice 1/2") }
    #expect(sagittal.contains("series 1/2 #1: sag STIR, 2 slices"))
    try session.keys("s")
    try session.waitFor { $0.contains("slice 1/3") }
    try session.keys("q")
    try session.waitFor { $0.contains("exit=0") }
  }

  @Test(
    "a mosaic pages through its 35 slices",
    .enabled(if: TestPaths.sharedData != nil, "../shared/data is absent"))
  func mosaicSlices() throws {
    let binary = try #require(TestPaths.binary)
    let data = try #require(TestPaths.sharedData)
    let session = try openViewer(binary, "\(data)/mr-dicom-transfer-syntaxes/In/9.dcm", width: 140, height: 40)
    let first = try session.waitFor { $0.contains("slice 1/35") }
    #expect(first.contains("Mosaic: tile 1 of 35"))
    try session.keys("End")
    try session.waitFor { $0.contains("slice 35/35") && $0.contains("tile 35 of 35") }
    try session.keys("q")
    try session.waitFor { $0.contains("exit=0") }
  }

  @Test(
    "b shows the ROI boxes with their key",
    .enabled(if: TestPaths.sharedData != nil, "../shared/data is absent"))
  func roiKey() throws {
    let binary = try #require(TestPaths.binary)
    let data = try #require(TestPaths.sharedData)
    let session = try openViewer(binary, "\(data)/thigh-dixon-siemens", width: 160, height: 50)
    try session.waitFor { $0.contains("slice 1/10") }
    // 0008, the in-phase magnitude, on its middle slice.
    try session.keys("Down", "Down")
    try session.waitFor { $0.contains("0008-Dixon_TE_460_th.nii.gz  slice 1/10") }
    try session.keys("]", "]", "]", "]", "b")
    let magnitude = try session.waitFor { $0.contains("slice 5/10") && $0.contains("legs found") }
    #expect(magnitude.contains("2 legs found"))
    #expect(magnitude.contains("box per leg"))
    #expect(magnitude.contains("box of both legs"))
    // The leg boxes are drawn in the accent colour.
    let coloured = try session.screenWithColours()
    #expect(coloured.contains("38;2;255;200;80") || coloured.contains("48;2;255;200;80"))
    // 0009 is its phase map, which the ROI warning names. The warning is
    // wrapped to the panel's width, so the test looks for one line's part.
    try session.keys("Down")
    let phase = try session.waitFor { $0.contains("0009-Dixon_TE_460_th.nii.gz  slice") }
    #expect(phase.contains("noise or a phase"))
    try session.keys("q")
    try session.waitFor { $0.contains("exit=0") }
  }
}

@Suite(
  "info on real files",
  .enabled(if: TestPaths.binary != nil, "needs the release binary (run scripts/test)"),
  .enabled(if: TestPaths.sharedData != nil, "../shared/data is absent"))
struct InfoRealFileTests {
  @Test("mosaic and long names are shown whole")
  func mosaicAndPHINames() throws {
    let binary = try #require(TestPaths.binary)
    let data = try #require(TestPaths.sharedData)
    let output = try Subprocess.run(
      [binary, "info", "--phi", "\(data)/mr-dicom-12bit/In/12bitUnsigned.dcm"])
    #expect(output.contains("mosaic              35 slices of 64 x 64 (Siemens)"))
    #expect(output.contains("  ReferringPhysicianName "))
    let plain = try Subprocess.run(
      [binary, "info", "\(data)/mr-dicom-12bit/In/12bitUnsigned.dcm"])
    #expect(!plain.contains("PatientName"), "identifying attributes need --phi")
  }

  /// The real UID, 1.3.12.2.1107.5.2.32.35131.2014031012481958900586557...,
  /// contains the scanner's serial number 35131 and the date 2014-03-10.
  @Test("series UIDs are stand-ins without --phi")
  func seriesUIDStandIn() throws {
    let binary = try #require(TestPaths.binary)
    let data = try #require(TestPaths.sharedData)
    let folder = "\(data)/mr-dicom-transfer-syntaxes/In"
    func uids(_ extra: [String]) throws -> Set<String> {
      let output = try Subprocess.run([binary, "info", "--json", folder] + extra)
      let object = try #require(
        try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
      let files = try #require(object["files"] as? [[String: Any]])
      let series = try #require(object["series"] as? [[String: Any]])
      #expect(files.count == 9)
      #expect(series.count == 1)
      return Set((files + series).compactMap { $0["seriesInstanceUID"] as? String })
    }
    let standIns = try uids([])
    // One series: the nine files and the series entry share one stand-in.
    #expect(standIns.count == 1)
    let standIn = try #require(standIns.first)
    #expect(standIn.hasPrefix("2.25."))
    #expect(!standIn.contains("35131"))
    #expect(try uids([]) == standIns, "the same stand-in in every run")
    #expect(try uids(["--phi"]) == ["1.3.12.2.1107.5.2.32.35131.2014031012481958900586557.0.0.0"])
  }
}
