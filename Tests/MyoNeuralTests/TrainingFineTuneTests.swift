import Foundation
import MyoImaging
import Testing

@testable import MyoNeural

@Suite("Last-stage fine-tuning", .serialized)
struct TrainingFineTuneTests {
  @Test("convolution backward matches finite differences")
  func convolutionGradients() {
    var random = SplitMix64(seed: 17)
    let side = 5
    let weights = (0..<(3 * 3 * 2 * 3)).map { _ in Float(random.nextNormal() * 0.5) }
    let frozen = Convolution(
      name: "test.conv", inChannels: 2, outChannels: 3, kernel: 3, stride: 2, padding: 1,
      weights: FloatBuffer(weights), bias: [0.1, -0.2, 0.3])
    var layer = TrainableConvolution(frozen)
    let input = (0..<(side * side * 2)).map { _ in Float(random.nextNormal()) }
    let outSide = layer.outputSize(side)
    let projection = (0..<(outSide * outSide * 3)).map { _ in Float(random.nextNormal()) }
    // The loss is the output projected on fixed random values, so its
    // gradient with respect to the output is the projection.
    func loss(_ layer: TrainableConvolution, _ x: [Float]) -> Double {
      let output = layer.forward(columns: layer.columns(x, side: side), pixels: outSide * outSide)
      return zip(output, projection).reduce(0) { $0 + Double($1.0) * Double($1.1) }
    }
    let inputGradient = layer.backward(
      projection, columns: layer.columns(input, side: side), pixels: outSide * outSide,
      side: side)
    let step: Float = 1e-2
    for index in layer.weight.values.indices {
      var plus = layer
      plus.weight.values[index] += step
      var minus = layer
      minus.weight.values[index] -= step
      let numeric = (loss(plus, input) - loss(minus, input)) / Double(2 * step)
      #expect(abs(numeric - Double(layer.weight.gradient[index])) < 1e-2, "weight \(index)")
    }
    for index in input.indices {
      var plus = input
      plus[index] += step
      var minus = input
      minus[index] -= step
      let numeric = (loss(layer, plus) - loss(layer, minus)) / Double(2 * step)
      #expect(abs(numeric - Double(inputGradient[index])) < 1e-2, "input \(index)")
    }
  }

  @Test("exported tensors fold back to the same layer")
  func exportRoundTrip() throws {
    let config = TrainingFixtures.config
    let network = try ResNetLoader.load(GeneratedWeights(seed: 8, config: config), config: config)
    let stage = TrainableStage(network: network)
    let tensors = FineTuner.backboneTensors(network, stage: stage)
    let reloaded = try ResNetLoader.load(
      DictionaryWeights(tensors: tensors), config: config)
    var random = SplitMix64(seed: 3)
    let size = 64
    let image = (0..<(size * size * 3)).map { _ in Float(random.nextNormal()) }
    let original = network.features(image, batch: 1, size: size).pooled
    let again = reloaded.features(image, batch: 1, size: size).pooled
    #expect(Fixture.relativeError(again, original) < 1e-5)

    // The trainable stage on the frozen prefix gives the same features.
    let (input, side) = FineTuner.stageInput(network, image, size: size)
    let pooled = stage.forward(input, side: side).pooled
    #expect(Fixture.relativeError(pooled, original) < 1e-4)
  }

  @Test("fine-tuned bundle classifies like training")
  func pipeline() throws {
    let folder = try TrainingFixtures.folder("finetune")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let manifest = try TrainingFixtures.cohort(in: folder, cases: 16, slices: 1)
    let bundlePath = folder + "/tuned.safetensors"
    var configuration = TrainingPipelineTests.configuration(
      manifest: manifest, bundle: bundlePath, cache: nil)
    configuration.head.maxEpochs = 40
    var fineTune = FineTuneOptions()
    fineTune.epochs = 4
    fineTune.learningRate = 1e-4
    configuration.fineTune = fineTune
    let outcome = try TrainingPipeline.run(configuration)
    #expect((outcome.validationImageAccuracy ?? 0) >= 0.9)

    let bundle = try ModelBundle.read(path: bundlePath)
    #expect(bundle.metadata.backbone.kind == "embedded")
    #expect(bundle.metadata.training["fineTune"]?.hasPrefix("last stage") == true)

    // The embedded backbone reproduces the validation calls.
    let classifier = try Classifier.load(bundle: bundlePath)
    let cases = try CohortManifest.read(path: manifest).cases
    var correct = 0
    for item in cases where outcome.split.validation.contains(item.name) {
      let files = try TrainingPipeline.imageFiles(of: item, manifest: manifest)
      let images = try files.flatMap { try ImageFile.readAll(path: $0) }
      if try classifier.classify(images).isPositive == item.isPositive { correct += 1 }
    }
    let accuracy = Double(correct) / Double(outcome.split.validation.count)
    #expect(accuracy == outcome.validationCaseAccuracy)
  }
}
