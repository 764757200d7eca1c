// swift-tools-version:6.0
// The myoscope package: a terminal reading station for thigh muscle MRI.

import PackageDescription

/// A system-library target whose flags come from pkg-config.
func systemLibrary(
  _ name: String, pkgConfig: String, apt: String
) -> Target {
  .systemLibrary(
    name: name, path: "Sources/\(name)", pkgConfig: pkgConfig,
    providers: [.apt([apt])])
}

#if arch(x86_64)
  let kernelSettings: [SwiftSetting] = [
    .unsafeFlags(["-target-cpu", "haswell", "-O"])
  ]
#else
  let kernelSettings: [SwiftSetting] = [.unsafeFlags(["-O"])]
#endif

let package = Package(
  name: "myoscope",
  products: [
    .executable(name: "myoscope", targets: ["myoscope"])
  ],
  targets: [
    systemLibrary("CNcursesw", pkgConfig: "ncursesw", apt: "libncurses-dev"),
    systemLibrary("CPNG", pkgConfig: "libpng", apt: "libpng-dev"),
    systemLibrary("CBLAS", pkgConfig: "openblas", apt: "libopenblas-dev"),
    systemLibrary("CSQLite", pkgConfig: "sqlite3", apt: "libsqlite3-dev"),
    systemLibrary("CZlib", pkgConfig: "zlib", apt: "zlib1g-dev"),
    systemLibrary("CJPEG", pkgConfig: "libjpeg", apt: "libjpeg62-turbo-dev"),
    systemLibrary("CCharLS", pkgConfig: "charls", apt: "libcharls-dev"),
    systemLibrary(
      "COpenJPEG", pkgConfig: "libopenjp2", apt: "libopenjp2-7-dev"),
    systemLibrary("CHDF5", pkgConfig: "hdf5", apt: "libhdf5-dev"),

    .target(name: "MyoSupport"),
    // Compiled for Haswell's instruction set (AVX2, FMA, BMI2, ...) and
    // optimized in every configuration: called only on processors
    // that have it (ConvolutionKernels.preferred).
    .target(name: "MyoKernels", swiftSettings: kernelSettings),
    .target(
      name: "MyoImaging",
      dependencies: ["CPNG", "CZlib", "CJPEG", "CCharLS", "COpenJPEG"]),
    .target(
      name: "MyoNeural",
      dependencies: [
        "MyoSupport", "MyoImaging", "MyoKernels", "CBLAS", "CHDF5",
      ]),
    .target(
      name: "MyoStudy",
      dependencies: [
        "MyoSupport", "MyoImaging", "MyoNeural", "MyoTerminal", "CSQLite",
      ]),
    .target(name: "MyoPhantom", dependencies: ["MyoImaging"]),
    .target(
      name: "MyoTerminal",
      dependencies: ["MyoImaging", "MyoNeural", "CNcursesw"]),
    .executableTarget(
      name: "myoscope",
      dependencies: [
        "MyoImaging", "MyoNeural", "MyoStudy", "MyoPhantom", "MyoTerminal",
      ]),

    .target(name: "TestSupport", path: "Tests/TestSupport"),
    .testTarget(name: "MyoImagingTests", dependencies: ["MyoImaging"]),
    .testTarget(name: "MyoTerminalTests", dependencies: ["MyoTerminal"]),
    .testTarget(
      name: "MyoNeuralTests", dependencies: ["MyoNeural", "MyoSupport"],
      exclude: ["Fixtures"]),
    .testTarget(
      name: "MyoStudyTests", dependencies: ["MyoStudy", "MyoSupport", "TestSupport"],
      exclude: ["Fixtures"]),
    .testTarget(name: "MyoPhantomTests", dependencies: ["MyoPhantom"]),
    .testTarget(name: "EndToEndTests", dependencies: ["MyoImaging", "TestSupport"]),
  ]
)
