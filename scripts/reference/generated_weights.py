"""Independent implementation of the "he-normal-1" weight generator.

Prints the first values of a few tensors for a seed, to check the Swift
generator (GeneratedWeights) against:

  python generated_weights.py --seed 1
"""

import argparse
import math

MASK = (1 << 64) - 1


def fnv1a(text):
    h = 0xCBF29CE484222325
    for byte in text.encode():
        h ^= byte
        h = (h * 0x100000001B3) & MASK
    return h


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def uniform(self):
        return ((self.next() >> 11) + 0.5) / 9007199254740992.0

    def normal(self):
        u1 = self.uniform()
        u2 = self.uniform()
        return math.sqrt(-2 * math.log(u1)) * math.cos(2 * math.pi * u2)


def values(seed, key, fan_in, count):
    rng = SplitMix64(seed ^ fnv1a(key))
    std = math.sqrt(2 / fan_in)
    return [rng.normal() * std for _ in range(count)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    for key, fan_in in [("conv1.weight", 3 * 49),
                        ("layer4.2.conv3.weight", 512),
                        ("layer3.0.downsample.0.weight", 512)]:
        print(key, ["%.9g" % v for v in values(args.seed, key, fan_in, 3)])


if __name__ == "__main__":
    main()
