import Foundation
import Testing

@Suite(
  "render command",
  .enabled(if: TestPaths.binary != nil, "needs the release binary (run scripts/test)"))
struct RenderCommandTests {
  /// Extracts the 24-bit colours of the SGR 38;2 and 48;2 sequences in `text`.
  static func colours(in text: String) -> [(Int, Int, Int)] {
    let pattern = try! NSRegularExpression(pattern: "[34]8;2;(\\d+);(\\d+);(\\d+)")
    let range = NSRange(text.startIndex..., in: text)
    return pattern.matches(in: text, range: range).map { match in
      let values = (1...3).map { Int((text as NSString).substring(with: match.range(at: $0)))! }
      return (values[0], values[1], values[2])
    }
  }

  static let slice = TestPaths.packageRoot + "/SampleCases/PH0004/slice03.dcm"

  @Test("plain slice is gray")
  func plainIsGray() throws {
    let binary = try #require(TestPaths.binary)
    let output = try Subprocess.run(
      ["env", "-u", "NO_COLOR", binary, "render", Self.slice, "--size", "60x20"])
    let colours = Self.colours(in: output)
    #expect(colours.count > 100)
    #expect(colours.allSatisfy { $0.0 == $0.1 && $0.1 == $0.2 })
  }

  @Test("CAM overlay adds colour")
  func overlayAddsColour() throws {
    let binary = try #require(TestPaths.binary)
    let output = try Subprocess.run(
      ["env", "-u", "NO_COLOR", binary, "render", Self.slice, "--size", "60x20",
       "--overlay", "cam", "--colormap", "viridis"])
    #expect(output.contains("slice p = "), "the probability goes to standard error")
    let coloured = Self.colours(in: output).filter { $0.0 != $0.1 || $0.1 != $0.2 }
    #expect(coloured.count > 100, "non-gray colours: \(coloured.count)")
  }

  @Test("NO_COLOR renders text shades")
  func noColorShades() throws {
    let binary = try #require(TestPaths.binary)
    let output = try Subprocess.run(
      ["env", "NO_COLOR=1", binary, "render", Self.slice, "--size", "60x20"])
    #expect(!output.contains("\u{1B}["))
    #expect(output.contains("#") || output.contains("@") || output.contains("*"))
  }

  @Test("ROI overlay draws the boxes")
  func roiOverlay() throws {
    let binary = try #require(TestPaths.binary)
    let output = try Subprocess.run(
      ["env", "-u", "NO_COLOR", binary, "render", Self.slice, "--size", "60x20",
       "--overlay", "roi"])
    #expect(output.contains("ROI: 2 legs separated"), "the verdict goes to standard error")
    let colours = Self.colours(in: output)
    // The dark theme's accent (leg boxes) and error (both legs) colours.
    #expect(colours.contains { $0 == (255, 200, 80) }, "leg box colour")
    #expect(colours.contains { $0 == (255, 110, 100) }, "both-leg box colour")
  }

  @Test("ROI overlay rejects CAM options")
  func roiOverlayRejectsOpacity() throws {
    let binary = try #require(TestPaths.binary)
    let output = try Subprocess.run(
      [binary, "render", Self.slice, "--overlay", "roi", "--opacity", "0.5"])
    #expect(output.contains("'--opacity'"))
    #expect(output.contains("--overlay roi"))
  }

  @Test("invalid overlay names the value")
  func invalidOverlay() throws {
    let binary = try #require(TestPaths.binary)
    let output = try Subprocess.run(
      [binary, "render", Self.slice, "--overlay", "hot"])
    #expect(output.contains("invalid value 'hot' for '--overlay'"))
  }
}
