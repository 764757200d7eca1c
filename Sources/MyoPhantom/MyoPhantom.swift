/// The MyoPhantom module.
enum MyoPhantomModule {}
