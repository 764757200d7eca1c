import Foundation

/// Proton density and relaxation times of a tissue.
public struct Relaxation: Sendable {
  /// Proton density relative to fat.
  public var protonDensity: Double
  /// T1 in milliseconds.
  public var t1: Double
  /// T2 in milliseconds.
  public var t2: Double

  /// Muscle at 3 T (de Bazelaire et al., Radiology 2004).
  public static let muscle = Relaxation(protonDensity: 0.8, t1: 898, t2: 29)
  /// Subcutaneous fat at 3 T (de Bazelaire 2004).
  public static let fat = Relaxation(protonDensity: 1.0, t1: 382, t2: 68)
  /// Fatty (yellow) marrow: T1 and T2 at 3 T (de Bazelaire 2004), with
  /// a proton density above fat's (an estimate) so that the shaft marrow
  /// comes out nearly as bright as fat, as it does on thigh T1 images.
  public static let yellowMarrow = Relaxation(
    protonDensity: 1.3, t1: 586, t2: 49)
  /// Red marrow: longer T1, so darker on T1 (an estimate between muscle
  /// and fatty marrow).
  public static let redMarrow = Relaxation(
    protonDensity: 0.85, t1: 1000, t2: 45)
  /// Skin (an estimate: intermediate on T1).
  public static let skin = Relaxation(protonDensity: 0.8, t1: 650, t2: 35)
  /// Fascia and tendon: few mobile protons and a very short T2.
  public static let fascia = Relaxation(protonDensity: 0.35, t1: 800, t2: 12)
  /// Cortical bone: almost no signal.
  public static let cortex = Relaxation(protonDensity: 0.05, t1: 1200, t2: 1)
  /// Flowing blood leaves the slice between the pulses (flow void).
  public static let flowingBlood = Relaxation(
    protonDensity: 0.03, t1: 1600, t2: 200)
  /// Peripheral nerve (an estimate: slightly brighter than muscle).
  public static let nerve = Relaxation(protonDensity: 0.75, t1: 1000, t2: 60)
}

/// The spin-echo signal equation, PD (1 - exp(-TR/T1)) exp(-TE/T2).
public struct SpinEcho: Sendable {
  /// Repetition time in milliseconds.
  public var repetitionTime: Double
  /// Echo time in milliseconds.
  public var echoTime: Double

  /// The T1-weighted protocol of the thigh studies: TR 450 ms, TE 12 ms.
  public static let thighT1 = SpinEcho(repetitionTime: 450, echoTime: 12)

  /// The signal of a tissue, relative to a proton density of 1 with full
  /// recovery and no decay.
  public func signal(_ tissue: Relaxation) -> Double {
    tissue.protonDensity * (1 - exp(-repetitionTime / tissue.t1))
      * exp(-echoTime / tissue.t2)
  }
}
