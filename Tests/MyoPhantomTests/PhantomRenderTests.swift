import Foundation
import MyoImaging
import Testing

@testable import MyoPhantom

@Suite struct PhantomRenderTests {
  static let generator = CohortGenerator(caseCount: 27, seed: 17)

  /// One case per diagnosis (the first of each in the cohort) and the
  /// middle slice of it at 192 pixels across.
  static let rendered: [(PhantomCase, RenderedSlice)] = {
    var seen: Set<String> = []
    var result: [(PhantomCase, RenderedSlice)] = []
    for item in generator.cases() where !seen.contains(item.diagnosis.rawValue) {
      seen.insert(item.diagnosis.rawValue)
      let renderer = SliceRenderer(phantomCase: item, sliceCount: 5, width: 192)
      result.append((item, renderer.render(2)))
    }
    return result
  }()

  @Test func everyDiagnosisRendered() {
    #expect(Self.rendered.count == Diagnosis.allCases.count)
  }

  /// Inside each muscle, the fat fraction measured from the intensities
  /// (after removing the coil bias) matches the rendered truth within
  /// 0.05, and falls in its grade's range with 0.06 of tolerance for
  /// noise. The peripheral and central patterns put their fat at the
  /// muscle's edge or axis, so for them the whole labelled muscle's truth
  /// is checked against the grade instead of the interior.
  @Test func fatFractionMatchesGrade() {
    var checked = 0
    for (item, slice) in Self.rendered {
      for side in Side.allCases {
        let columns = TestSupport.columns(of: side, in: slice)
        for muscle in Muscle.allCases {
          let label = UInt8(muscle.rawValue)
          let pixels = TestSupport.interior(of: label, in: slice, columns: columns)
          guard pixels.count >= 25 else { continue }
          checked += 1
          let grade = item.grade(muscle, side)
          let range = grade.fatFractionRange
          let place = "\(item.id) \(item.diagnosis.subtype) \(side)"
            + " \(muscle.abbreviation) grade \(grade.text)"

          let measured = TestSupport.measuredFatFraction(pixels, in: slice)
          let truth =
            pixels.map { Double(slice.fatFraction[$0]) }.reduce(0, +)
            / Double(pixels.count)
          #expect(abs(measured - truth) < 0.05, "\(place): \(measured) vs \(truth)")

          let pattern = item.textures[side]![muscle]!.pattern
          var whole: [Int] = []
          for row in 0..<slice.height {
            for column in columns where slice.labels[row * slice.width + column] == label {
              whole.append(row * slice.width + column)
            }
          }
          let wholeTruth =
            whole.map { Double(slice.fatFraction[$0]) }.reduce(0, +)
            / Double(whole.count)
          let value = pattern == .peripheral || pattern == .central ? wholeTruth : measured
          let inRange =
            value >= range.lowerBound - 0.06 && value <= range.upperBound + 0.06
          #expect(inRange, "\(place) \(pattern): \(value)")
        }
      }
    }
    #expect(checked > 150)
  }

  @Test func labelsOnlyInsideLegs() {
    for (_, slice) in Self.rendered {
      for pixel in 0..<slice.labels.count where slice.labels[pixel] != 0 {
        #expect(slice.tissues[pixel] != .air)
      }
    }
  }

  @Test func everyMuscleLabelledOnBothSides() {
    for (item, slice) in Self.rendered {
      for side in Side.allCases {
        let columns = TestSupport.columns(of: side, in: slice)
        var present: Set<UInt8> = []
        for row in 0..<slice.height {
          for column in columns {
            present.insert(slice.labels[row * slice.width + column])
          }
        }
        for muscle in Muscle.allCases {
          #expect(
            present.contains(UInt8(muscle.rawValue)),
            "\(item.id) \(side): \(muscle.abbreviation) missing")
        }
      }
    }
  }

  /// Checks the radiological layout. On the patient's right leg (image
  /// left) vastus lateralis lies left of gracilis, on the left leg right
  /// of it, and rectus femoris lies above biceps femoris.
  @Test func orientationIsRadiological() throws {
    let (_, slice) = try #require(Self.rendered.first)
    func centre(_ muscle: Muscle, _ side: Side) -> (Double, Double) {
      let pixels = TestSupport.interior(
        of: UInt8(muscle.rawValue), in: slice,
        columns: TestSupport.columns(of: side, in: slice))
      let columns = pixels.map { Double($0 % slice.width) }
      let rows = pixels.map { Double($0 / slice.width) }
      return (
        columns.reduce(0, +) / Double(max(pixels.count, 1)),
        rows.reduce(0, +) / Double(max(pixels.count, 1))
      )
    }
    let rightLateral = centre(.vastusLateralis, .right)
    let rightMedial = centre(.gracilis, .right)
    #expect(rightLateral.0 < rightMedial.0)
    let leftLateral = centre(.vastusLateralis, .left)
    let leftMedial = centre(.gracilis, .left)
    #expect(leftLateral.0 > leftMedial.0)
    #expect(centre(.rectusFemoris, .right).1 < centre(.bicepsFemorisLongHead, .right).1)
  }

  /// Checks each label against the layout's anatomy on both legs of every
  /// case: vastus lateralis lies lateral of vastus intermedius, vastus
  /// medialis medial of it, and rectus femoris in front of it.
  @Test func vastiInTheirPlaces() {
    for (item, slice) in Self.rendered {
      for side in Side.allCases {
        let columns = TestSupport.columns(of: side, in: slice)
        func centre(_ muscle: Muscle) -> (x: Double, y: Double) {
          var sumX = 0.0
          var sumY = 0.0
          var count = 0.0
          for row in 0..<slice.height {
            for column in columns
            where slice.labels[row * slice.width + column] == UInt8(muscle.rawValue) {
              sumX += Double(column)
              sumY += Double(row)
              count += 1
            }
          }
          return (sumX / max(count, 1), sumY / max(count, 1))
        }
        // Image left is the patient's right; lateral on the right leg is
        // towards smaller columns.
        let lateralSign: Double = side == .right ? -1 : 1
        let intermedius = centre(.vastusIntermedius)
        let lateralis = centre(.vastusLateralis)
        let medialis = centre(.vastusMedialis)
        #expect(
          (lateralis.x - intermedius.x) * lateralSign > 0,
          "\(item.id) \(side): VL at \(lateralis.x), VI at \(intermedius.x)")
        #expect(
          (medialis.x - intermedius.x) * lateralSign < 0,
          "\(item.id) \(side): VM at \(medialis.x), VI at \(intermedius.x)")
        #expect(
          centre(.rectusFemoris).y < intermedius.y,
          "\(item.id) \(side): RF not in front of VI")
      }
    }
  }

  /// On a severe Duchenne case the trefoil muscles stay darker (less fat)
  /// than adductor magnus on the image itself.
  @Test func trefoilDarkerInSevereDuchenne() throws {
    let generator = CohortGenerator(caseCount: 1, seed: 5)
    var item = generator.makeCase(
      number: 1, diagnosis: .duchenne, split: "test", format: .png)
    var number = 1
    while item.severity < 0.75 {
      number += 1
      item = generator.makeCase(
        number: number, diagnosis: .duchenne, split: "test", format: .png)
    }
    let slice = SliceRenderer(phantomCase: item, sliceCount: 3, width: 192)
      .render(1)
    for side in Side.allCases {
      let columns = TestSupport.columns(of: side, in: slice)
      func fat(_ muscle: Muscle) -> Double {
        TestSupport.measuredFatFraction(
          TestSupport.interior(
            of: UInt8(muscle.rawValue), in: slice, columns: columns),
          in: slice)
      }
      let magnus = fat(.adductorMagnus)
      for muscle in Muscle.trefoil {
        #expect(fat(muscle) < magnus - 0.2, "\(side) \(muscle.abbreviation)")
      }
    }
  }

  /// A mid-thigh is about as deep (front to back) as it is wide, and a
  /// real axial scan shows round or slightly deep thighs. The outline's
  /// extent is measured from the rendered tissue of each leg.
  @Test func thighAboutAsDeepAsWide() {
    var ratios: [Double] = []
    for (item, slice) in Self.rendered {
      for side in Side.allCases {
        var rows: [Int] = []
        var columns: [Int] = []
        for row in 0..<slice.height {
          for column in TestSupport.columns(of: side, in: slice)
          where slice.tissues[row * slice.width + column] != .air {
            rows.append(row)
            columns.append(column)
          }
        }
        let depth = Double(rows.max()! - rows.min()! + 1)
        let width = Double(columns.max()! - columns.min()! + 1)
        ratios.append(depth / width)
        #expect(depth / width > 0.8, "\(item.id) \(side): depth over width \(depth / width)")
        #expect(depth / width < 1.35, "\(item.id) \(side): depth over width \(depth / width)")
      }
    }
    let mean = ratios.reduce(0, +) / Double(ratios.count)
    #expect(mean > 0.97, "mean depth over width \(mean)")
    #expect(mean < 1.25, "mean depth over width \(mean)")
  }

  @Test func pixelsFitTwelveBits() {
    for (_, slice) in Self.rendered {
      #expect(slice.pixels.allSatisfy { $0 <= 4095 })
      // Fat reaches well into the range; the background stays near the
      // noise floor.
      #expect(slice.pixels.max()! > 1500)
      #expect(slice.pixels[0] < 200)
    }
  }
}
