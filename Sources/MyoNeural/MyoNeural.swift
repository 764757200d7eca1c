/// The MyoNeural module.
enum MyoNeuralModule {}
