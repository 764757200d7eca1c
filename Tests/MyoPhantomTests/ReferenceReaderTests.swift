import Foundation
import MyoImaging
import Testing

@testable import MyoPhantom

/// The written files read by pydicom and nibabel, the references that
/// other software uses.
@Suite struct ReferenceReaderTests {
  static let dicomScript = """
    import json, sys
    import numpy as np, pydicom
    ds = pydicom.dcmread(sys.argv[1], force=False)
    pixels = ds.pixel_array.astype(np.int64)
    weights = np.arange(pixels.size, dtype=np.int64).reshape(pixels.shape) % 251
    print(json.dumps({
      "syntax": str(ds.file_meta.TransferSyntaxUID),
      "metaSOP": str(ds.file_meta.MediaStorageSOPInstanceUID),
      "sop": str(ds.SOPInstanceUID),
      "sopClass": str(ds.SOPClassUID),
      "modality": ds.Modality,
      "name": str(ds.PatientName),
      "tr": float(ds.RepetitionTime), "te": float(ds.EchoTime),
      "rows": ds.Rows, "columns": ds.Columns,
      "allocated": ds.BitsAllocated, "stored": ds.BitsStored,
      "high": ds.HighBit,
      "spacing": [float(v) for v in ds.PixelSpacing],
      "orientation": [float(v) for v in ds.ImageOrientationPatient],
      "position": [float(v) for v in ds.ImagePositionPatient],
      "instance": int(ds.InstanceNumber),
      "sum": int(pixels.sum()), "weighted": int((pixels * weights).sum()),
    }))
    """

  static let niftiScript = """
    import json, sys
    import numpy as np, nibabel as nib
    image = nib.load(sys.argv[1])
    data = np.asanyarray(image.dataobj).astype(np.int64)
    middle = data[:, :, 1].T
    weights = np.arange(middle.size, dtype=np.int64).reshape(middle.shape) % 251
    print(json.dumps({
      "codes": list(nib.aff2axcodes(image.affine)),
      "qcodes": list(nib.aff2axcodes(image.get_qform())),
      "qform": int(image.header["qform_code"]),
      "sform": int(image.header["sform_code"]),
      "shape": list(data.shape),
      "zooms": [float(z) for z in image.header.get_zooms()],
      "sum": int(middle.sum()), "weighted": int((middle * weights).sum()),
    }))
    """

  /// Computes the sum and the index-weighted sum of pixels, as the
  /// scripts do.
  static func checksums(_ values: [Int]) -> (Int, Int) {
    var sum = 0
    var weighted = 0
    for (index, value) in values.enumerated() {
      sum += value
      weighted += value * (index % 251)
    }
    return (sum, weighted)
  }

  @Test func pydicomReadsSlices() throws {
    guard TestSupport.python != nil else {
      print(TestSupport.noPython)
      return
    }
    let folder = try TestSupport.temporaryFolder("pydicom")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let generator = CohortGenerator(caseCount: 1, seed: 31, format: .dicom)
    let item = try #require(generator.cases().first)
    let writer = CaseWriter(root: folder, sliceCount: 3, width: 160)
    try writer.write(item)
    let renderer = SliceRenderer(phantomCase: item, sliceCount: 3, width: 160)

    for index in 0..<3 {
      let path = folder + "/PH0001/slice0\(index + 1).dcm"
      let result = try #require(
        try TestSupport.runPython(Self.dicomScript, [path]) as? [String: Any])
      let slice = renderer.render(index)
      #expect(result["syntax"] as? String == "1.2.840.10008.1.2.1")
      #expect(result["sopClass"] as? String == "1.2.840.10008.5.1.4.1.1.4")
      #expect(result["metaSOP"] as? String == result["sop"] as? String)
      #expect(result["modality"] as? String == "MR")
      #expect(result["name"] as? String == "PHANTOM^0001")
      #expect(result["tr"] as? Double == 450)
      #expect(result["te"] as? Double == 12)
      #expect(result["rows"] as? Int == 100)
      #expect(result["columns"] as? Int == 160)
      #expect(result["allocated"] as? Int == 16)
      #expect(result["stored"] as? Int == 12)
      #expect(result["high"] as? Int == 11)
      #expect(result["instance"] as? Int == index + 1)
      #expect(result["orientation"] as? [Double] == [1, 0, 0, 0, 1, 0])
      let spacing = renderer.pixelSpacing
      #expect(result["spacing"] as? [Double] == [spacing, spacing])
      let position = try #require(result["position"] as? [Double])
      #expect(position[2] == renderer.location(index))
      let (sum, weighted) = Self.checksums(slice.pixels.map(Int.init))
      #expect(result["sum"] as? Int == sum)
      #expect(result["weighted"] as? Int == weighted)
    }
  }

  @Test func nibabelReadsVolume() throws {
    guard TestSupport.python != nil else {
      print(TestSupport.noPython)
      return
    }
    let folder = try TestSupport.temporaryFolder("nibabel")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let generator = CohortGenerator(caseCount: 1, seed: 32, format: .nifti)
    let item = try #require(generator.cases().first)
    try CaseWriter(root: folder, sliceCount: 3, width: 160).write(item)
    let renderer = SliceRenderer(phantomCase: item, sliceCount: 3, width: 160)
    let slice = renderer.render(1)

    let volume = try #require(
      try TestSupport.runPython(
        Self.niftiScript, [folder + "/PH0001/volume.nii.gz"]) as? [String: Any])
    // Voxel x runs to the patient's left, y to the posterior, z up.
    #expect(volume["codes"] as? [String] == ["L", "P", "S"])
    #expect(volume["qcodes"] as? [String] == ["L", "P", "S"])
    #expect(volume["qform"] as? Int == 1)
    #expect(volume["sform"] as? Int == 1)
    #expect(volume["shape"] as? [Int] == [160, 100, 3])
    let zooms = try #require(volume["zooms"] as? [Double])
    #expect(abs(zooms[0] - renderer.pixelSpacing) < 1e-5)
    #expect(abs(zooms[2] - renderer.sliceSpacing) < 1e-5)
    let (sum, weighted) = Self.checksums(slice.pixels.map(Int.init))
    #expect(volume["sum"] as? Int == sum)
    #expect(volume["weighted"] as? Int == weighted)

    let labels = try #require(
      try TestSupport.runPython(
        Self.niftiScript, [folder + "/PH0001/volume.labels.nii.gz"])
        as? [String: Any])
    let (labelSum, labelWeighted) = Self.checksums(slice.labels.map(Int.init))
    #expect(labels["sum"] as? Int == labelSum)
    #expect(labels["weighted"] as? Int == labelWeighted)
  }
}
