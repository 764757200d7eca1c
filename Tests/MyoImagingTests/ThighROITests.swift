import Testing

@testable import MyoImaging

/// The ROI on real Dixon scans of both thighs.
@Suite struct ThighROITests {
  static let magnitude = [
    "thigh-dixon-siemens/0006-Dixon_TE_345_th.nii.gz",
    "thigh-dixon-siemens/0008-Dixon_TE_460_th.nii.gz",
    "thigh-dixon-siemens/0010-Dixon_TE_575_th.nii.gz",
  ]

  @Test(arguments: magnitude) func middleSlicesShowTwoLegs(file: String) throws {
    guard let path = SharedData.path(file) else {
      print(SharedData.missing(file))
      return
    }
    let volume = try NIfTIVolume.read(path: path)
    for index in 3...6 {
      let image = volume.slice(index)
      let result = ROILocalizer.locate(image)
      #expect(result.separated, "\(file) slice \(index): \(result.reason ?? "")")
      try #require(result.legs.count == 2)
      let left = result.legs[0]
      let right = result.legs[1]
      // The screen's left leg lies in the left half, the other in the right.
      #expect(left.x + left.width / 2 < image.width / 2)
      #expect(right.x + right.width / 2 > image.width / 2)
      #expect(left.x + left.width <= right.x + 1)
      #expect(result.warnings.isEmpty)
    }
  }
}

/// Phase images of the same scans must not pass as two clean legs.
@Suite struct ThighPhaseROITests {
  static let phase = [
    "thigh-dixon-siemens/0007-Dixon_TE_345_th.nii.gz",
    "thigh-dixon-siemens/0009-Dixon_TE_460_th.nii.gz",
    "thigh-dixon-siemens/0011-Dixon_TE_575_th.nii.gz",
  ]

  @Test(arguments: phase) func phaseIsFlagged(file: String) throws {
    guard let path = SharedData.path(file) else {
      print(SharedData.missing(file))
      return
    }
    let volume = try NIfTIVolume.read(path: path)
    for index in 0..<volume.sliceCount {
      let result = ROILocalizer.locate(volume.slice(index))
      let clean = result.separated && result.warnings.isEmpty
      #expect(!clean, "\(file) slice \(index): two legs without a warning")
    }
  }
}
