/// The MyoStudy module.
enum MyoStudyModule {}
