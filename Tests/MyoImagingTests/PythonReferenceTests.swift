import Foundation
import Testing

@testable import MyoImaging

/// Files bundled in the pydicom and nibabel packages, read in place and
/// checked against values that pydicom and nibabel compute in the same
/// run (scripts/reference/imaging_reference.py through MYOSCOPE_PYTHON).
@Suite struct PythonReferenceTests {
  struct Entry: Decodable {
    var path: String
    var rows: Int?
    var columns: Int?
    var frames: Int?
    var size: [Int]?
    var version: Int?
    var error: String?
    var finite: Int?
    var minimum: Double?
    var maximum: Double?
    var mean: Double?
    var values: [Double?]?
    var samples: Int?
    var transferSyntax: String?
  }

  struct Reference: Decodable {
    var dicom: [Entry]
    var nifti: [Entry]
    var codec: [Entry]
  }

  /// Runs the reference script once per test process.
  static let reference: Result<Reference, Error>? = {
    guard let python = ProcessInfo.processInfo.environment["MYOSCOPE_PYTHON"],
      !python.isEmpty
    else { return nil }
    let script = SharedData.packageRoot
      .appendingPathComponent("scripts/reference/imaging_reference.py").path
    return Result {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: python)
      process.arguments = ["-W", "ignore", script]
      let output = Pipe()
      process.standardOutput = output
      try process.run()
      let data = output.fileHandleForReading.readDataToEndOfFile()
      process.waitUntilExit()
      return try JSONDecoder().decode(Reference.self, from: data)
    }
  }()

  static func load() throws -> Reference? {
    guard let reference else {
      print("skipped: MYOSCOPE_PYTHON is not set to a Python with pydicom and nibabel")
      return nil
    }
    return try reference.get()
  }

  static func mean(_ values: [Float]) -> Double {
    let finite = values.filter(\.isFinite)
    return finite.reduce(0.0) { $0 + Double($1) } / Double(finite.count)
  }

  @Test func pydicomMRFilesMatch() throws {
    guard let reference = try Self.load() else { return }
    try #require(reference.dicom.count >= 20, "pydicom ships about 27 MR files")
    for entry in reference.dicom {
      let name = (entry.path as NSString).lastPathComponent
      let bytes = try FileBytes.read(entry.path)
      if let message = entry.error, message.contains("missing dependencies") {
        print("\(name): pydicom lacks a decoder here, skipped: \(message)")
        continue
      }
      if let message = entry.error {
        // pydicom could not decode it: MR_truncated.dcm must be reported
        // as truncated.
        let error = #expect(throws: ImagingError.self, "\(name): \(message)") {
          let file = try DICOMParser().parse(bytes, path: entry.path)
          _ = try DICOMImageReader.image(file)
        }
        if name == "MR_truncated.dcm" {
          guard case .truncated = error else {
            Issue.record("\(name): expected truncation, got \(String(describing: error))")
            continue
          }
        }
        continue
      }
      let file = try DICOMParser().parse(bytes, path: entry.path)
      let image = try DICOMImageReader.image(file, frame: 0, orient: false)
      #expect(image.height == entry.rows, "\(name) rows")
      #expect(image.width == entry.columns, "\(name) columns")
      #expect(DICOMImageReader.frameCount(file) == entry.frames, "\(name) frames")
      #expect(image.valueRange.map { Double($0.lowerBound) } == entry.minimum, "\(name) minimum")
      #expect(image.valueRange.map { Double($0.upperBound) } == entry.maximum, "\(name) maximum")
      let mean = try #require(entry.mean)
      #expect(abs(Self.mean(image.values) - mean) <= 1e-9 * max(1, abs(mean)), "\(name) mean")
      if let values = entry.values {
        #expect(image.values.map { Double($0) } == values.map { $0 ?? .nan }, "\(name) pixels")
      }
    }
  }

  @Test func nibabelNIfTIFilesMatch() throws {
    guard let reference = try Self.load() else { return }
    try #require(reference.nifti.count >= 5)
    for entry in reference.nifti {
      let name = (entry.path as NSString).lastPathComponent
      let volume = try NIfTIVolume.read(path: entry.path)
      #expect(volume.size == entry.size, "\(name) size")
      #expect(volume.header.version == entry.version, "\(name) version")
      let finite = volume.values.filter(\.isFinite)
      #expect(finite.count == entry.finite, "\(name) finite count")
      guard let minimum = entry.minimum, let maximum = entry.maximum,
        let mean = entry.mean
      else { continue }
      let tolerance = 1e-6 * max(1, abs(maximum), abs(minimum))
      #expect(abs(Double(finite.min()!) - minimum) <= tolerance, "\(name) minimum")
      #expect(abs(Double(finite.max()!) - maximum) <= tolerance, "\(name) maximum")
      #expect(abs(Self.mean(volume.values) - mean) <= tolerance, "\(name) mean")
      if let values = entry.values {
        try #require(values.count == volume.values.count)
        var worst = 0.0
        for (ours, theirs) in zip(volume.values, values) {
          worst = max(worst, abs(Double(ours) - (theirs ?? Double(ours))))
        }
        #expect(worst <= tolerance, "\(name) largest voxel difference")
      }
    }
  }

  /// Largest difference allowed from pydicom's pixels. Lossless codecs
  /// must match exactly. Lossy JPEG may differ slightly, because
  /// libjpeg-turbo's inverse DCT and chroma upsampling are not those of the
  /// libjpeg behind pylibjpeg; uncompressed YBR_FULL_422 differs by the
  /// rounding of the YCbCr to RGB conversion.
  static func tolerance(_ entry: Entry) -> Double {
    let name = (entry.path as NSString).lastPathComponent
    if name.hasPrefix("SC_ybr_full_422") { return 2 }
    switch entry.transferSyntax {
    case "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51": return 8
    default: return 0
    }
  }

  @Test func pydicomCodecFilesMatch() throws {
    guard let reference = try Self.load() else { return }
    try #require(reference.codec.count >= 15)
    for entry in reference.codec {
      let name = (entry.path as NSString).lastPathComponent
      if let message = entry.error, message.contains("missing dependencies") {
        print("\(name): pydicom lacks a decoder here, skipped")
        continue
      }
      let file = try DICOMParser().parse(try FileBytes.read(entry.path), path: entry.path)
      let layout = try DICOMImageReader.layout(file)
      let twelveBitJPEG =
        entry.transferSyntax == "1.2.840.10008.1.2.4.51" && layout.bitsStored > 8
      if entry.error != nil || twelveBitJPEG {
        // 12-bit JPEG needs a libjpeg-turbo built for it; Debian's is not.
        let error = #expect(throws: ImagingError.self, "\(name)") {
          _ = try DICOMImageReader.image(file)
        }
        if twelveBitJPEG {
          #expect(error?.description.contains("8-bit samples only") == true, "\(name)")
        }
        continue
      }
      let image = try DICOMImageReader.image(file, frame: 0, orient: false)
      #expect(image.height == entry.rows, "\(name) rows")
      #expect(image.width == entry.columns, "\(name) columns")
      #expect(DICOMImageReader.frameCount(file) == entry.frames, "\(name) frames")
      let expected = try #require(entry.values).map { $0 ?? .nan }
      let ours: [Double]
      if entry.samples == 3 {
        ours = try #require(image.rgb, "\(name) has no RGB samples").map(Double.init)
      } else {
        ours = image.values.map(Double.init)
      }
      try #require(ours.count == expected.count, "\(name) sample count")
      var worst = 0.0
      for (a, b) in zip(ours, expected) { worst = max(worst, abs(a - b)) }
      #expect(worst <= Self.tolerance(entry), "\(name): largest difference \(worst)")
    }
  }
}
