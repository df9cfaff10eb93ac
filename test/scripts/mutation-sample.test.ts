import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without declarations
import { draw, wilson } from '../../scripts/mutation-sample.mjs';
// @ts-expect-error: a plain .mjs script without declarations
import { mutantKey } from '../../scripts/mutation-sample-key.mjs';

type Drawn = { key: string };
const population: Drawn[] = Array.from({ length: 2000 }, (_, i) => ({
  key: mutantKey(`engine/f${i % 37}.ts`, {
    location: { start: { line: i, column: i % 7 }, end: { line: i, column: 9 } },
    mutatorName: i % 2 ? 'ConditionalExpression' : 'StringLiteral',
    replacement: 'true',
  }),
}));

describe('the mutation sample (npm run test:mutation -- --sample N)', () => {
  it('draws the same mutants for the same seed, whatever the listing order, and other mutants for another seed', () => {
    const a = (draw(population, 100, '1') as Drawn[]).map((m) => m.key);
    const b = (draw([...population].reverse(), 100, '1') as Drawn[]).map((m) => m.key);
    const c = (draw(population, 100, '2') as Drawn[]).map((m) => m.key);
    expect(new Set(a).size).toBe(100);
    expect(b).toEqual(a);
    expect(c.filter((k) => a.includes(k)).length).toBeLessThan(30);
    // a smaller sample of the same seed is the start of the larger one
    expect((draw(population, 40, '1') as Drawn[]).map((m) => m.key)).toEqual(a.slice(0, 40));
  });

  it('draws without favouring the listing order (each half of the list gives about half the sample)', () => {
    const firstHalf = new Set(population.slice(0, 1000).map((m) => m.key));
    const drawn = draw(population, 400, '7') as Drawn[];
    const inFirst = drawn.filter((m) => firstHalf.has(m.key)).length;
    // binomial(400, 0.5): 4 standard deviations is 40
    expect(Math.abs(inFirst - 200)).toBeLessThan(40);
  });

  it('gives the 95 % Wilson interval (90 of 100: 82.6 % to 94.5 %; 0 of 10 and 10 of 10 stay inside 0..1)', () => {
    const [lo, hi] = wilson(90, 100) as [number, number];
    expect(lo).toBeCloseTo(0.8256, 3);
    expect(hi).toBeCloseTo(0.9448, 3);
    expect((wilson(0, 10) as number[])[0]).toBe(0);
    expect((wilson(10, 10) as number[])[1]).toBeCloseTo(1, 10);
    expect((wilson(10, 10) as number[])[1]).toBeLessThanOrEqual(1);
  });
});
