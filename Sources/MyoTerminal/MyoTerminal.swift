enum MyoTerminalModule {}
