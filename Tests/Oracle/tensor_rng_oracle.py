#!/usr/bin/env python3
"""Independent Python model of msense's Xoshiro256 (Sources/Tensor/Random.swift).

    tensor_rng_oracle.py SEED COUNT

prints COUNT lines "next nextDouble" of raw outputs of a fresh generator, then COUNT lines of
normals from another fresh generator with the same seed, one per line, as repr floats.

Seeding: SplitMix64 (state += 0x9E3779B97F4A7C15; z = state; z = (z ^ z>>30)·0xBF58476D1CE4E5B9;
z = (z ^ z>>27)·0x94D049BB133111EB; output z ^ z>>31), called four times for s0..s3.
Output: xoshiro256** = rotl(s1·5, 7)·9, then the standard state update.
Uniform: (next >> 11)·2⁻⁵³. Normal: Marsaglia polar method, returning u·f and keeping v·f.
"""
import math
import sys

MASK = (1 << 64) - 1


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & MASK


class Xoshiro256:
    def __init__(self, seed):
        self.sm = seed & MASK
        self.s = [self._splitmix() for _ in range(4)]
        self.spare = None

    def _splitmix(self):
        self.sm = (self.sm + 0x9E3779B97F4A7C15) & MASK
        z = self.sm
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def next(self):
        s = self.s
        result = (rotl((s[1] * 5) & MASK, 7) * 9) & MASK
        t = (s[1] << 17) & MASK
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        return result

    def next_double(self):
        return (self.next() >> 11) * 2.0 ** -53

    def next_normal(self):
        if self.spare is not None:
            value, self.spare = self.spare, None
            return value
        while True:
            u = 2 * self.next_double() - 1
            v = 2 * self.next_double() - 1
            s = u * u + v * v
            if 0 < s < 1:
                factor = math.sqrt(-2 * math.log(s) / s)
                self.spare = v * factor
                return u * factor


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    seed, count = int(sys.argv[1]), int(sys.argv[2])
    g = Xoshiro256(seed)
    for _ in range(count):
        print(g.next())
    g = Xoshiro256(seed)
    for _ in range(count):
        print(repr(g.next_normal()))
