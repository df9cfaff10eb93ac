import { describe, it, expect } from 'vitest';
import {
  DEFAULT_THRESHOLD_PRECISION,
  MAX_THRESHOLD,
  encodeThreshold,
  parseRandomness,
  parseThreshold,
  probabilityToThreshold,
  thresholdToProbability,
  traceRandomness,
} from '../../../processors/sampling/consistent-probability-sampler';
import { createTraceState } from '@opentelemetry/api';

const th = (p: number, precision?: number): string => encodeThreshold(probabilityToThreshold(p, precision));

describe('probability → threshold (spec "TraceState: Probability Sampling")', () => {
  it('matches the spec examples with the default precision', () => {
    expect(DEFAULT_THRESHOLD_PRECISION).toBe(5);
    expect(th(0.25)).toBe('c');
    expect(th(0.01)).toBe('fd70a4');
    expect(th(1)).toBe('0');
    expect(th(0.5)).toBe('8');
    // "(1-0.01) * 2^56 ≈ 71337018784743424 = 0xfd70a400000000"
    expect(probabilityToThreshold(0.01)).toBe(71337018784743424n);
  });

  it('reproduces the spec table for precisions 3, 4 and 5', () => {
    const table: [number, string, string, string][] = [
      [1, '0', '0', '0'],
      [1 / 2, '8', '8', '8'],
      [1 / 3, 'aab', 'aaab', 'aaaab'],
      [1 / 4, 'c', 'c', 'c'],
      [1 / 5, 'ccd', 'cccd', 'ccccd'],
      [1 / 8, 'e', 'e', 'e'],
      [1 / 10, 'e66', 'e666', 'e6666'],
      [1 / 16, 'f', 'f', 'f'],
      [1 / 100, 'fd71', 'fd70a', 'fd70a4'],
      [1 / 1000, 'ffbe7', 'ffbe77', 'ffbe76d'],
      [1 / 10000, 'fff972', 'fff9724', 'fff97247'],
      [1 / 100000, 'ffff584', 'ffff583a', 'ffff583a5'],
      [1 / 1000000, 'ffffef4', 'ffffef39', 'ffffef391'],
    ];
    for (const [p, p3, p4, p5] of table) {
      expect([th(p, 3), th(p, 4), th(p, 5)], `p=${p}`).toEqual([p3, p4, p5]);
    }
  });

  it('uses the full-precision formula T = 2^56 - round(p·2^56) at precision 14', () => {
    expect(th(0.01, 14)).toBe('fd70a3d70a3d71');
    expect(probabilityToThreshold(0.01, 14)).toBe(MAX_THRESHOLD - BigInt(Math.round(0.01 * 2 ** 56)));
    expect(th(0.25, 14)).toBe('c');
  });

  it('maps 0 and unrepresentably small ratios to "never" and rejects invalid input', () => {
    expect(probabilityToThreshold(0)).toBe(MAX_THRESHOLD);
    expect(probabilityToThreshold(2 ** -60)).toBe(MAX_THRESHOLD);
    expect(thresholdToProbability(MAX_THRESHOLD)).toBe(0);
    expect(() => probabilityToThreshold(1.5)).toThrow(RangeError);
    expect(() => probabilityToThreshold(-0.1)).toThrow(RangeError);
    expect(() => probabilityToThreshold(Number.NaN)).toThrow(RangeError);
    expect(() => probabilityToThreshold(0.5, 0)).toThrow(RangeError);
    expect(() => probabilityToThreshold(0.5, 15)).toThrow(RangeError);
    expect(() => encodeThreshold(MAX_THRESHOLD)).toThrow(RangeError);
  });

  it('round-trips thresholds and converts them back to probabilities', () => {
    for (const p of [1, 0.5, 0.25, 0.1, 0.01, 0.001]) {
      const t = probabilityToThreshold(p);
      expect(parseThreshold(encodeThreshold(t))).toBe(t);
      expect(Math.abs(thresholdToProbability(t) - p) / p).toBeLessThan(1e-5);
    }
  });

  it('parses th and rv strictly', () => {
    expect(parseThreshold('c')).toBe(0xc0000000000000n);
    expect(parseThreshold('C')).toBe(0xc0000000000000n);
    expect(parseThreshold('0')).toBe(0n);
    expect(parseThreshold('')).toBeUndefined();
    expect(parseThreshold('123456789abcdef')).toBeUndefined();
    expect(parseThreshold('xyz')).toBeUndefined();
    expect(parseThreshold(' c')).toBeUndefined();
    expect(parseRandomness('0123456789abcd')).toBe(0x0123456789abcdn);
    expect(parseRandomness('0123456789abc')).toBeUndefined();
    expect(parseRandomness('0123456789abcg')).toBeUndefined();
  });

  it('takes randomness from rv when valid, else from the low 56 bits of the trace id', () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    expect(traceRandomness(traceId)).toBe(0xce929d0e0e4736n);
    expect(traceRandomness(traceId, createTraceState('ot=rv:00000000000001'))).toBe(1n);
    expect(traceRandomness(traceId, createTraceState('ot=rv:bad'))).toBe(0xce929d0e0e4736n);
    expect(traceRandomness('00000000000000000000000000000000')).toBeUndefined();
    expect(traceRandomness('not-a-trace-id')).toBeUndefined();
  });
});
