import Testing

@testable import MyoPhantom

@Suite struct PhantomRandomTests {
  // SplitMix64 from state 0: the first outputs of the reference C code
  // (Vigna, splitmix64.c), recomputed with Python integers.
  @Test func splitMixMatchesReference() {
    var state: UInt64 = 0
    #expect(PhantomRandom.splitMix(&state) == 0xE220_A839_7B1D_CDAF)
    #expect(PhantomRandom.splitMix(&state) == 0x6E78_9E6A_A1B9_65F4)
    #expect(PhantomRandom.splitMix(&state) == 0x06C4_5D18_8009_454F)
  }

  // xoshiro256** seeded with four SplitMix64 outputs of 42: values from a
  // Python transcription of xoshiro256starstar.c.
  @Test func xoshiroMatchesReference() {
    var random = PhantomRandom(seed: 42)
    let expected: [UInt64] = [
      0x1578_0B2E_0C2E_C716, 0x6104_D986_6D11_3A7E, 0xAE17_5332_39E4_99A1,
      0xECB8_AD47_03B3_60A1, 0xFDE6_DC7F_E2EC_5E64, 0xC50D_A531_0179_5238,
    ]
    for value in expected {
      #expect(random.next() == value)
    }
  }

  @Test func sameSeedSameStream() {
    var a = PhantomRandom(seed: 7)
    var b = PhantomRandom(seed: 7)
    for _ in 0..<100 {
      #expect(a.next() == b.next())
    }
  }

  @Test func uniformStaysInRange() {
    var random = PhantomRandom(seed: 3)
    for _ in 0..<10_000 {
      let value = random.uniform()
      #expect(value >= 0)
      #expect(value < 1)
      let integer = random.integer(-2...5)
      #expect((-2...5).contains(integer))
    }
  }

  @Test func normalHasUnitMoments() {
    var random = PhantomRandom(seed: 11)
    let count = 50_000
    var sum = 0.0
    var squares = 0.0
    for _ in 0..<count {
      let value = random.normal()
      sum += value
      squares += value * value
    }
    let mean = sum / Double(count)
    let variance = squares / Double(count) - mean * mean
    // Standard errors: 1/sqrt(n) = 0.0045 for the mean, about 0.0063 for
    // the variance.
    #expect(abs(mean) < 0.02)
    #expect(abs(variance - 1) < 0.03)
  }

  @Test func shuffleKeepsElements() {
    var random = PhantomRandom(seed: 5)
    var items = Array(0..<50)
    random.shuffle(&items)
    #expect(items.sorted() == Array(0..<50))
    #expect(items != Array(0..<50))
  }
}
