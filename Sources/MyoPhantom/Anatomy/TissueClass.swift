/// The tissue a point of the phantom lies in.
public enum TissueClass: UInt8, Sendable {
  /// Outside the body.
  case air
  /// Skin.
  case skin
  /// Subcutaneous fat.
  case subcutaneousFat
  /// The deep fascia around the muscle compartment.
  case fascia
  /// Fat between muscles and around vessels and nerves.
  case intermuscularFat
  /// The thin septum of fat and fascia between two touching muscles.
  case septum
  /// Muscle, possibly infiltrated by fat.
  case muscle
  /// An intramuscular tendon or aponeurosis, labelled with its muscle.
  case tendon
  /// Cortical bone of the femur.
  case cortex
  /// Bone marrow of the femur.
  case marrow
  /// A vessel, dark by flow void on spin echo.
  case vessel
  /// The sciatic nerve.
  case nerve
}
