import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BloomFilter, bloomSize } from '../../../engine/consent/bloom-filter';

const pseudonym = () => `k1:${randomBytes(16).toString('base64url')}`;

describe('BloomFilter', () => {
  it('never misses a member, whatever the entries (no false negatives)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 40 }), { minLength: 1, maxLength: 300 }),
        (entries) => {
          const f = BloomFilter.create(entries.length, 0.01, ['k1']);
          for (const e of entries) f.add(e);
          expect(entries.filter((e) => !f.has(e))).toEqual([]);
          const back = BloomFilter.parse(f.serialize(), 'test');
          expect(entries.filter((e) => !back.has(e))).toEqual([]);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('is sized for the rate: expected rate within the bound, measured rate near it', () => {
    for (const rate of [0.01, 0.001]) {
      const n = 20_000;
      const f = BloomFilter.create(n, rate, ['k1']);
      const members = Array.from({ length: n }, pseudonym);
      for (const p of members) f.add(p);
      // pseudonyms take the no-hash path (their own HMAC bits): every member is found there too
      expect(members.filter((p) => !f.has(p))).toEqual([]);
      expect(f.expectedFalsePositiveRate).toBeLessThanOrEqual(rate);
      const trials = 50_000;
      let hits = 0;
      for (let i = 0; i < trials; i++) if (f.has(pseudonym())) hits++;
      // binomial: the bound plus 5 standard deviations
      expect(hits / trials).toBeLessThanOrEqual(rate + 5 * Math.sqrt((rate * (1 - rate)) / trials));
    }
    expect(bloomSize(1_000_000, 0.001)).toEqual({ m: expect.any(Number), k: 10 });
  });

  it('refuses a file with any byte changed, truncated or extended, naming the file', () => {
    const f = BloomFilter.create(50, 0.01, ['k1']);
    for (let i = 0; i < 50; i++) f.add(pseudonym());
    const bytes = f.serialize();
    fc.assert(
      fc.property(fc.nat(bytes.length - 1), fc.integer({ min: 1, max: 255 }), (at, xor) => {
        const copy = Buffer.from(bytes);
        copy[at] ^= xor;
        expect(() => BloomFilter.parse(copy, 'optout.bloom')).toThrow(/^optout\.bloom/);
      }),
      { numRuns: 200 },
    );
    expect(() => BloomFilter.parse(bytes.subarray(0, bytes.length - 1), 'optout.bloom')).toThrow(/checksum mismatch/);
    expect(() => BloomFilter.parse(Buffer.concat([bytes, Buffer.from([0])]), 'optout.bloom')).toThrow(/checksum/);
    expect(() => BloomFilter.parse(Buffer.from('user-1\nuser-2\n'), 'ids.txt')).toThrow(
      /ids\.txt is not an opt-out filter/,
    );
  });
});
