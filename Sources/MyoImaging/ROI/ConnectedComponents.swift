/// 8-connected regions of a binary mask, labelled with an explicit stack
/// so that a large region cannot overflow the call stack.
struct ConnectedComponents {
  /// One region.
  struct Component {
    /// The label in `labels`, from 1.
    var label: Int32
    /// The number of pixels.
    var area: Int
    /// The minimal rectangle around the pixels.
    var box: PixelBox
    /// The mean column of the pixels.
    var centerColumn: Double
  }

  /// Labels `[height, width]`: 0 for background, else the component label.
  let labels: [Int32]
  /// Components, largest first.
  let components: [Component]

  /// Labels the pixels where `mask` is true.
  init(mask: [Bool], width: Int, height: Int) {
    precondition(mask.count == width * height, "mask size")
    var labels = [Int32](repeating: 0, count: mask.count)
    var components: [Component] = []
    var stack: [Int] = []
    for start in 0..<mask.count where mask[start] && labels[start] == 0 {
      let label = Int32(components.count + 1)
      labels[start] = label
      stack.append(start)
      var area = 0
      var columnSum = 0
      var left = Int.max
      var right = Int.min
      var top = Int.max
      var bottom = Int.min
      while let index = stack.popLast() {
        let row = index / width
        let column = index - row * width
        area += 1
        columnSum += column
        left = min(left, column)
        right = max(right, column)
        top = min(top, row)
        bottom = max(bottom, row)
        for dy in -1...1 {
          let y = row + dy
          guard y >= 0, y < height else { continue }
          for dx in -1...1 {
            let x = column + dx
            guard x >= 0, x < width else { continue }
            let neighbour = y * width + x
            if mask[neighbour] && labels[neighbour] == 0 {
              labels[neighbour] = label
              stack.append(neighbour)
            }
          }
        }
      }
      components.append(
        Component(
          label: label, area: area,
          box: PixelBox(
            x: left, y: top, width: right - left + 1,
            height: bottom - top + 1),
          centerColumn: Double(columnSum) / Double(area)))
    }
    self.labels = labels
    self.components = components.sorted { $0.area > $1.area }
  }
}
