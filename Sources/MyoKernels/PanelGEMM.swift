/// Register-blocked convolution and matrix kernels for x86-64 processors
/// with AVX2 and FMA.
///
/// This module is compiled for that instruction set (see Package.swift),
/// so nothing in it may run before the caller has checked that the
/// processor has both. Every entry point is `@inline(never)`, so that no
/// part of it is inlined into code compiled for the baseline. The module
/// declares no structs: the compiler's copy helpers for a struct are weak
/// symbols, shared by name with other modules, and the linker could keep
/// this module's AVX copy for all of them (a test checks the binary).
///
/// The weights are packed once, at load time, into panels of 16 output
/// channels: `[panels, depth, 16]`, where depth is the matrix's row count
/// (kernel taps times input channels) and the last panel is zero-padded.
/// One step of the inner loop loads a panel row (two 8-float vectors),
/// broadcasts one input value for each of six output pixels and does 12
/// fused multiply-adds. The 6 x 16 block of outputs stays in 12 vector
/// registers until its whole depth is summed.
///
/// The input is read in place, with no im2col copy: for each kernel tap
/// the six rows are the input pixels under that tap (a row of zeros in
/// the padding), so a convolution is a sum of pointwise products.
public enum PanelGEMM {
  /// Output channels per panel.
  public static let panelWidth = 16
  /// Output pixels per register tile.
  public static let tileRows = 6

  /// Returns the floats of the packed form of a `[depth, columns]`
  /// matrix.
  public static func packedCount(depth: Int, columns: Int) -> Int {
    (columns + panelWidth - 1) / panelWidth * depth * panelWidth
  }

  /// Packs `matrix` `[depth, columns]` (rows `columns` apart) into
  /// panels `[panels, depth, 16]`, zero-padding the last panel.
  @inline(never)
  public static func pack(
    _ matrix: UnsafePointer<Float>, depth: Int, columns: Int,
    into packed: UnsafeMutablePointer<Float>
  ) {
    let panels = (columns + panelWidth - 1) / panelWidth
    for panel in 0..<panels {
      let first = panel * panelWidth
      let width = min(panelWidth, columns - first)
      let target = packed + panel * depth * panelWidth
      for row in 0..<depth {
        let line = target + row * panelWidth
        let source = matrix + row * columns + first
        for column in 0..<panelWidth {
          line[column] = column < width ? source[column] : 0
        }
      }
    }
  }

  /// Copies the packed form back into `[depth, columns]`.
  @inline(never)
  public static func unpack(
    _ packed: UnsafePointer<Float>, depth: Int, columns: Int,
    into matrix: UnsafeMutablePointer<Float>
  ) {
    for row in 0..<depth {
      for column in 0..<columns {
        let panel = column / panelWidth
        matrix[row * columns + column] =
          packed[(panel * depth + row) * panelWidth + column % panelWidth]
      }
    }
  }

  /// Computes output pixels `rows` and panels `panels` of a convolution.
  ///
  /// - geometry: the input, its shape and the kernel.
  /// - weights: the packed `[taps * channels, columns]` matrix, rows
  ///   ordered by tap (ky, kx) and then channel.
  /// - output: `[rows of the whole output, ldc]`; column `c` of output
  ///   row `r` is at `output + r * ldc + c`. With `accumulate` it already
  ///   contains values that the products are added to.
  /// - bias, relu: the bias (`columns` floats) and the ReLU applied as
  ///   each block is stored.
  @inline(never)
  public static func convolve(
    _ geometry: Geometry, rows: Range<Int>, panels: Range<Int>,
    weights: UnsafePointer<Float>, columns: Int,
    output: UnsafeMutablePointer<Float>, ldc: Int,
    accumulate: Bool, bias: UnsafePointer<Float>?, relu: Bool
  ) {
    guard !rows.isEmpty && !panels.isEmpty else { return }
    let taps = geometry.taps
    let depth = taps * geometry.channels
    let panelFloats = depth * panelWidth

    // Panels per group: as many as fit in about 256 KB, so that a group
    // stays in the level-2 cache while every tile of rows passes over it.
    let group = max(1, 65_536 / panelFloats)
    withUnsafeTemporaryAllocation(
      of: UnsafePointer<Float>.self, capacity: taps * tileRows
    ) { addresses in
      let table = addresses.baseAddress!
      var groupStart = panels.lowerBound
      while groupStart < panels.upperBound {
        let groupEnd = min(groupStart + group, panels.upperBound)
        var start = rows.lowerBound
        while start < rows.upperBound {
          let count = min(tileRows, rows.upperBound - start)
          geometry.addresses(rows: start, count: count, into: table)
          for panel in groupStart..<groupEnd {
            let first = panel * panelWidth
            tile(
              table, taps: taps, channels: geometry.channels,
              panel: weights + panel * panelFloats,
              output: output + start * ldc + first, ldc: ldc,
              rows: count, columns: min(panelWidth, columns - first),
              bias: bias.map { $0 + first }, accumulate: accumulate,
              relu: relu)
          }
          start += count
        }
        groupStart = groupEnd
      }
    }
  }

  /// The shape of a convolution's input and kernel. A plain matrix
  /// product `[m, k] x [k, n]` is a 1x1 convolution of one image of
  /// height 1 and width m with k channels.
  ///
  /// A tap reads `channels` consecutive floats from the input pixel under
  /// it. Usually that is the pixel's channels (`pixelFloats ==
  /// channels`). A convolution with few channels on an input padded in
  /// advance can instead read a whole kernel row at once: `kernelWide`
  /// 1, and `channels` the kernel width times the pixel's channels.
  public final class Geometry {
    public let input: UnsafePointer<Float>
    public let height: Int
    public let width: Int
    /// Floats of one input pixel.
    public let pixelFloats: Int
    /// Floats one tap reads.
    public let channels: Int
    public let kernelHigh: Int
    public let kernelWide: Int
    public let stride: Int
    public let padding: Int
    public let outHeight: Int
    public let outWidth: Int
    /// At least `channels` zeros, read for taps in the padding.
    public let zeros: UnsafePointer<Float>

    public convenience init(
      input: UnsafePointer<Float>, height: Int, width: Int, channels: Int,
      kernel: Int, stride: Int, padding: Int, outHeight: Int,
      outWidth: Int, zeros: UnsafePointer<Float>
    ) {
      self.init(
        input: input, height: height, width: width, pixelFloats: channels,
        channels: channels, kernelHigh: kernel, kernelWide: kernel,
        stride: stride, padding: padding, outHeight: outHeight,
        outWidth: outWidth, zeros: zeros)
    }

    public init(
      input: UnsafePointer<Float>, height: Int, width: Int, pixelFloats: Int,
      channels: Int, kernelHigh: Int, kernelWide: Int, stride: Int,
      padding: Int, outHeight: Int, outWidth: Int, zeros: UnsafePointer<Float>
    ) {
      self.input = input
      self.height = height
      self.width = width
      self.pixelFloats = pixelFloats
      self.channels = channels
      self.kernelHigh = kernelHigh
      self.kernelWide = kernelWide
      self.stride = stride
      self.padding = padding
      self.outHeight = outHeight
      self.outWidth = outWidth
      self.zeros = zeros
    }

    var taps: Int { kernelHigh * kernelWide }

    /// Writes the input address of each tap for `count` output rows from
    /// `first`, `[taps, 6]`. Rows past `count` repeat the last one, so
    /// that a short tile reads only valid memory.
    @inline(never)
    func addresses(
      rows first: Int, count: Int,
      into table: UnsafeMutablePointer<UnsafePointer<Float>>
    ) {
      let pixels = outHeight * outWidth
      for slot in 0..<PanelGEMM.tileRows {
        let row = first + min(slot, count - 1)
        let image = row / pixels
        let oy = (row % pixels) / outWidth
        let ox = row % outWidth
        let base = input + image * height * width * pixelFloats
        for ky in 0..<kernelHigh {
          let iy = oy * stride - padding + ky
          for kx in 0..<kernelWide {
            let ix = ox * stride - padding + kx
            let inside = iy >= 0 && iy < height && ix >= 0 && ix < width
            table[(ky * kernelWide + kx) * PanelGEMM.tileRows + slot] =
              inside ? base + (iy * width + ix) * pixelFloats : zeros
          }
        }
      }
    }
  }


  /// Sums one 6 x 16 block over every tap and channel and stores its
  /// first `rows` rows and `columns` columns.
  @inline(__always)
  private static func tile(
    _ table: UnsafePointer<UnsafePointer<Float>>, taps: Int, channels: Int,
    panel: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
    ldc: Int, rows: Int, columns: Int, bias: UnsafePointer<Float>?,
    accumulate: Bool, relu: Bool
  ) {
    var c00 = SIMD8<Float>(), c01 = SIMD8<Float>()
    var c10 = SIMD8<Float>(), c11 = SIMD8<Float>()
    var c20 = SIMD8<Float>(), c21 = SIMD8<Float>()
    var c30 = SIMD8<Float>(), c31 = SIMD8<Float>()
    var c40 = SIMD8<Float>(), c41 = SIMD8<Float>()
    var c50 = SIMD8<Float>(), c51 = SIMD8<Float>()
    var b = panel
    for tap in 0..<taps {
      let slots = table + tap * tileRows
      let a0 = slots[0], a1 = slots[1], a2 = slots[2]
      let a3 = slots[3], a4 = slots[4], a5 = slots[5]
      for k in 0..<channels {
        let b0 = load(b)
        let b1 = load(b + 8)
        var x = SIMD8<Float>(repeating: a0[k])
        c00.addProduct(x, b0)
        c01.addProduct(x, b1)
        x = SIMD8<Float>(repeating: a1[k])
        c10.addProduct(x, b0)
        c11.addProduct(x, b1)
        x = SIMD8<Float>(repeating: a2[k])
        c20.addProduct(x, b0)
        c21.addProduct(x, b1)
        x = SIMD8<Float>(repeating: a3[k])
        c30.addProduct(x, b0)
        c31.addProduct(x, b1)
        x = SIMD8<Float>(repeating: a4[k])
        c40.addProduct(x, b0)
        c41.addProduct(x, b1)
        x = SIMD8<Float>(repeating: a5[k])
        c50.addProduct(x, b0)
        c51.addProduct(x, b1)
        b += panelWidth
      }
    }
    let sums = (
      (c00, c01), (c10, c11), (c20, c21), (c30, c31), (c40, c41), (c50, c51)
    )
    withUnsafeBytes(of: sums) { raw in
      let block = raw.baseAddress!.assumingMemoryBound(to: Float.self)
      store(
        block, rows: rows, columns: columns, output: output, ldc: ldc,
        bias: bias, accumulate: accumulate, relu: relu)
    }
  }

  /// Stores a finished block `[6, 16]` (rows 16 floats apart), applying
  /// the residual, the bias and the ReLU.
  @inline(__always)
  private static func store(
    _ block: UnsafePointer<Float>, rows: Int, columns: Int,
    output: UnsafeMutablePointer<Float>, ldc: Int,
    bias: UnsafePointer<Float>?, accumulate: Bool, relu: Bool
  ) {
    if columns == panelWidth {
      let shift0 = bias.map { load($0) } ?? SIMD8<Float>()
      let shift1 = bias.map { load($0 + 8) } ?? SIMD8<Float>()
      for row in 0..<rows {
        let target = output + row * ldc
        var v0 = load(block + row * panelWidth) + shift0
        var v1 = load(block + row * panelWidth + 8) + shift1
        if accumulate {
          v0 += load(target)
          v1 += load(target + 8)
        }
        if relu {
          v0 = v0.replacing(with: 0, where: v0 .< 0)
          v1 = v1.replacing(with: 0, where: v1 .< 0)
        }
        storeVector(v0, target)
        storeVector(v1, target + 8)
      }
      return
    }
    for row in 0..<rows {
      let target = output + row * ldc
      for column in 0..<columns {
        var value = block[row * panelWidth + column] + (bias?[column] ?? 0)
        if accumulate { value += target[column] }
        if relu { value = max(value, 0) }
        target[column] = value
      }
    }
  }

  @inline(__always)
  private static func load(_ pointer: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Float>.self)
  }

  @inline(__always)
  private static func load(_ pointer: UnsafeMutablePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Float>.self)
  }

  @inline(__always)
  private static func storeVector(
    _ value: SIMD8<Float>, _ pointer: UnsafeMutablePointer<Float>
  ) {
    UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: SIMD8<Float>.self)
  }
}
