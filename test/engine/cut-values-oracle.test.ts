import { ROOT_CONTEXT } from '@opentelemetry/api';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  lastWordStart,
  lengthLimit,
  maskCutTail,
  maskCutValues,
  maskCutValuesInPlace,
  unscannedMask,
} from '../../engine/cut-values';
import { defaultPolicyPipelines } from '../assurance/helpers/outside-attack';

const CUT_PHONE = '1 202 555 01';
const sdk = defaultPolicyPipelines({ attributeValueLengthLimit: CUT_PHONE.length });

// The cut-value rule of engine/cut-values.ts, checked against an oracle written from its doc comments: a string of
// exactly the SDK's limit has its last word masked, the last word being the characters after the last blank (blanks at
// the very end skipped) and further back over ONE blank between groups of a number (a digit or `(` after the blank, a
// digit, `+` or `)` before it); under four characters left at the cut, the value stays.

const BLANKS = [' ', '\t', '\n', '\r', '\u00a0', '\u3000', '\u2000', '\u2005', '\u200a'];
/** Near misses of a blank: the code units on either side of the blank ranges. */
const NOT_BLANKS = ['\u001f', '!', '\u009f', '\u00a1', '\u1fff', '\u200b', '\u2fff', '\u3001', '\u000b', '\u000c'];
const blankClass = `[${BLANKS.join('').replace('\u2000', '').replace('\u2005', '').replace('\u200a', '')}\u2000-\u200a]`;
const isBlank = (c: string) => new RegExp(`^${blankClass}$`, 'u').test(c);

/** The tail `value.slice(s, end)` is one word: runs of non-blanks joined by single blanks at number junctions. */
function isOneWord(tail: string): boolean {
  const B = blankClass;
  return new RegExp(`^(?:[^${B.slice(1, -1)}]*?(?<=[0-9+)])${B}(?=[0-9(]))*[^${B.slice(1, -1)}]*$`, 'u').test(tail);
}

function oracleStart(value: string): number {
  let end = value.length;
  while (end > 0 && isBlank(value[end - 1])) end--;
  for (let s = 0; s <= end; s++) {
    if (s > 0 && !isBlank(value[s - 1])) continue;
    if (isOneWord(value.slice(s, end))) return s;
  }
  return end;
}

function oracleMask(value: string, limit: number, mask: string): string {
  if (value.length !== limit) return value;
  const trimmed = value.replace(new RegExp(`${blankClass}+$`, 'u'), '');
  const s = oracleStart(value);
  return trimmed.length - s < 4 ? value : value.slice(0, s) + mask;
}

/** Pieces that sit on the rule's edges: digits, `(`, `)`, `+`, their neighbours, letters, blanks and near blanks. */
const piece = fc.oneof(
  fc.constantFrom('0', '9', '5', '(', ')', '+', '/', ':', '*', ',', '-', '.', 'a', 'Z', '@'),
  fc.constantFrom(...BLANKS),
  fc.constantFrom(...NOT_BLANKS),
  fc.stringMatching(/^[0-9]{1,5}$/),
);
const text = fc.array(piece, { maxLength: 14 }).map((a) => a.join(''));

describe('cut values: the last word of a value at the limit', () => {
  it('lastWordStart and maskCutTail agree with the oracle (generated around every edge)', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: -1, max: 1 }), (value, d) => {
        expect(lastWordStart(value), JSON.stringify(value)).toBe(oracleStart(value));
        const limit = value.length + d;
        expect(maskCutTail(value, limit, '[M]'), JSON.stringify(value)).toBe(oracleMask(value, limit, '[M]'));
      }),
      { numRuns: 4000, seed: 22 },
    );
  });

  it('a number group of one character at the very start is part of the last word', () => {
    // `1 202 55`: the walk back reaches the blank at index 1 and goes over it to the `1`.
    expect(lastWordStart('1 202 55')).toBe(0);
    expect(maskCutTail('1 202 55', 8, '[M]')).toBe('[M]');
    expect(maskCutTail('( 555 01', 8, '[M]')).toBe('( [M]');
    expect(maskCutTail('+ 555 01', 8, '[M]')).toBe('[M]');
    expect(maskCutTail(' 5550123', 8, '[M]')).toBe(' [M]');
    expect(maskCutTail('call 1 202 55', 13, '[M]')).toBe('call [M]');
  });

  it('every blank kind ends a word; its neighbours do not', () => {
    for (const b of BLANKS) expect(maskCutTail(`card${b}41111111`, 13, '#'), JSON.stringify(b)).toBe(`card${b}#`);
    for (const n of NOT_BLANKS) expect(maskCutTail(`card${n}4111111`, 12, '#'), JSON.stringify(n)).toBe('#');
    for (const b of BLANKS) expect(maskCutTail(`4111${b}${b}`, 6, '#'), JSON.stringify(b)).toBe('#');
  });

  it('three characters at the cut stay, four are masked', () => {
    expect(maskCutTail('note 411', 8, '#')).toBe('note 411');
    expect(maskCutTail('note 4111', 9, '#')).toBe('note #');
    expect(maskCutTail('note 411 ', 9, '#')).toBe('note 411 ');
    expect(maskCutTail('   ', 3, '#')).toBe('   ');
    expect(maskCutTail('', 0, '#')).toBe('');
  });
});

describe('cut values: arrays, maps, depth, counts', () => {
  const cutText = 'paid 4111 1111 11';
  const L = cutText.length;

  it('strings at any level of arrays and maps are masked, copied where one changed, the rest kept as they are', () => {
    const bytes = new Uint8Array([52, 49, 49, 49]);
    const inner = ['ok', cutText];
    const untouched = { a: 'short', n: 5 };
    const attributes = {
      s: cutText,
      arr: ['ok', cutText, 7, null],
      nested: [inner, ['x']],
      map: { note: cutText, keep: 'fine', deeper: { v: cutText } },
      same: untouched,
      bytes,
      n: 123,
      b: true,
      none: undefined,
    } as unknown as Record<string, never>;
    const before = JSON.stringify(attributes);
    const [copy, changed] = maskCutValues(attributes, L, '#');
    expect(JSON.stringify(attributes)).toBe(before); // never written
    expect(changed).toBe(4);
    const c = copy as unknown as Record<string, unknown>;
    expect(c.s).toBe('paid #');
    expect(c.arr).toStrictEqual(['ok', 'paid #', 7, null]);
    expect(c.nested).toStrictEqual([['ok', 'paid #'], ['x']]);
    expect(c.map).toStrictEqual({ note: 'paid #', keep: 'fine', deeper: { v: 'paid #' } });
    expect(c.same).toBe(untouched);
    expect(c.bytes).toBe(bytes);
    expect(c.n).toBe(123);
    expect(c.b).toBe(true);
    expect(inner).toStrictEqual(['ok', cutText]);
  });

  it('nothing to mask: the same object and 0', () => {
    const attributes = { a: 'short', b: ['x', 'y'], m: { k: 'v' }, n: 1 };
    const [same, changed] = maskCutValues(attributes as never, L, '#');
    expect(same).toBe(attributes);
    expect(changed).toBe(0);
    expect(maskCutValuesInPlace(undefined, L, '#')).toBe(0);
  });

  it('keys kept by `keep` are not read; in place, every other one is written and counted', () => {
    const attributes: Record<string, unknown> = { mine: cutText, theirs: cutText, list: [cutText], fine: 'x' };
    const keep = (k: string) => k === 'mine';
    const [copy, changed] = maskCutValues(attributes as never, L, '#', keep);
    expect(changed).toBe(2);
    expect(copy).toStrictEqual({ mine: cutText, theirs: 'paid #', list: ['paid #'], fine: 'x' });
    expect(maskCutValues({ mine: cutText } as never, L, '#', keep)[1]).toBe(0);
    expect(maskCutValuesInPlace(attributes as never, L, '#', keep)).toBe(2);
    expect(attributes).toStrictEqual({ mine: cutText, theirs: 'paid #', list: ['paid #'], fine: 'x' });
  });

  it('arrays and maps are read 64 levels deep, not deeper', () => {
    const wrap = (n: number, map: boolean): unknown => {
      let v: unknown = cutText;
      for (let i = 0; i < n; i++) v = map ? { k: v } : [v];
      return v;
    };
    const leaf = (v: unknown): unknown => {
      while (typeof v === 'object' && v !== null) v = Array.isArray(v) ? v[0] : (v as { k: unknown }).k;
      return v;
    };
    for (const map of [false, true]) {
      const deep = maskCutValues({ v: wrap(64, map) } as never, L, '#')[0] as { v: unknown };
      expect(leaf(deep.v)).toBe('paid #');
      const tooDeep = maskCutValues({ v: wrap(65, map) } as never, L, '#')[0] as { v: unknown };
      expect(leaf(tooDeep.v)).toBe(cutText);
    }
  });

  it('the limit the SDK applied and the mask of the policy', () => {
    expect(lengthLimit(48)).toBe(48);
    expect(lengthLimit(1)).toBe(1);
    for (const v of [0, -1, 1.5, Infinity, NaN, '48', undefined, null]) expect(lengthLimit(v)).toBeUndefined();
    expect(unscannedMask(undefined)).toBeUndefined();
    expect(unscannedMask('[REDACTED:{type}]')).toBe('[REDACTED:unscanned]');
    expect(unscannedMask('<{type}|{type}>')).toBe('<unscanned|unscanned>');
    expect(unscannedMask('***')).toBe('***');
    expect(unscannedMask('[REDACTED:{type}]')).toBe('[REDACTED:unscanned]');
  });

  it('real SDK providers: a phone number cut after its one-digit country code group is masked whole', () => {
    sdk.tracerProvider
      .getTracer('cut')
      .startSpan('cut', { attributes: { 'thread.name': `${CUT_PHONE}43` } }, ROOT_CONTEXT)
      .end();
    const json = sdk.exportedJson();
    expect(json).toContain('"stringValue":"[REDACTED:unscanned]"');
    expect(json).not.toContain('"1 ');
  });
});
