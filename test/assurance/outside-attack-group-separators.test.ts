import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultPolicyPipelines, sendAsNames } from './helpers/outside-attack';

// The fifth outside attack round's separators, through real SDK providers with the privacy processors and the DEFAULT
// policy (log bodies kept and scanned): digit and letter groups of a phone number, an IBAN or an SSN joined by a
// separator that the card detector reads but theirs do not (`+`, which form encoding writes for every blank:
// `phone=%2B1+202+555+0143`, `iban=GB82+WEST+…`; `*`, `|`, `~`), and groups of any identifier joined by a symbol or
// punctuation character outside the BMP (two UTF-16 units: emoji, `4111💳1111💳…`, `+1📞202📞555📞0143`). No
// canary's letters and digits may survive in any exported string; look-alikes (form-encoded queries, pipe-delimited
// log lines, build metadata, emoji-laden text with numbers) are exported as written.
const pipelines = defaultPolicyPipelines();

/** Sends `text` as a log body, a span name and an event name; returns the three as exported. */
function roundTrip(text: string): string[] {
  const { span, event, body } = sendAsNames(pipelines, text);
  return [span, event, body];
}

const alnum = (s: string) => s.replace(/[^A-Za-z0-9]/g, '');

/** Fake identifiers as groups: the canary is their letters and digits. */
const grouped = fc.constantFrom(
  ['+1', '202', '555', '0143'],
  ['+44', '20', '7946', '0958'],
  ['+33', '1', '23', '45', '67', '89'],
  ['202', '555', '0143'],
  ['GB82', 'WEST', '1234', '5698', '7654', '32'],
  ['DE89', '3704', '0044', '0532', '0130', '00'],
  ['123', '45', '6789'],
  ['4111', '1111', '1111', '1111'],
);

/** Separators one detector reads and the others do not (one to three of one character). */
const asciiSeparator = fc.tuple(fc.constantFrom('+', '*', '|', '~'), fc.integer({ min: 1, max: 3 }));

/** Symbols and punctuation outside the BMP (emoji, pictographs, ancient number signs). */
const astralSeparator = fc
  .oneof(
    fc.integer({ min: 0x1f300, max: 0x1f64f }),
    fc.integer({ min: 0x1f680, max: 0x1f6ff }),
    fc.integer({ min: 0x1f900, max: 0x1f9ff }),
    fc.integer({ min: 0x10100, max: 0x1013f }),
    fc.integer({ min: 0x1d100, max: 0x1d1ff }),
  )
  .map((cp) => String.fromCodePoint(cp))
  .filter((ch) => /^[\p{P}\p{S}\p{No}\p{Nl}]$/u.test(ch));

/** Where the identifier is written: a form body, a sentence, JSON, a log line. */
const contexts = fc.constantFrom(
  (s: string) => s,
  (s: string) => `a=1&v=${s}&b=2`,
  (s: string) => `v=${s.replace(/^\+/, '%2B')}&submit=Send`,
  (s: string) => `note ${s} end`,
  (s: string) => JSON.stringify({ v: s }),
  (s: string) => `level=info msg="saved" v=${s}`,
);

function assertNoCanary(text: string, canary: string): void {
  const exported = roundTrip(text);
  for (const value of exported)
    expect(alnum(value), `${JSON.stringify(text)} → ${JSON.stringify(value)}`).not.toContain(canary);
}

describe('outside attack round 5: separators one detector reads and the others do not', () => {
  it('form-encoded `+`, `*`, `|`, `~` between the groups of phone numbers, IBANs and SSNs are masked', () => {
    fc.assert(
      fc.property(grouped, asciiSeparator, contexts, (groups, [sep, times], wrap) => {
        assertNoCanary(wrap(groups.join(sep.repeat(times))), alnum(groups.join('')));
      }),
      { numRuns: 150 },
    );
  });

  it('a symbol or punctuation character outside the BMP between groups or between every digit is masked', () => {
    fc.assert(
      fc.property(grouped, astralSeparator, contexts, fc.boolean(), (groups, sep, wrap, everyChar) => {
        // Digits one separator apart read as one unformatted number: an SSN or a national number only after its
        // keyword, as with ASCII blanks (`1 2 3 4 5 6 7 8 9` alone is nine digits).
        const joined = groups.join('');
        const label = !everyChar ? '' : joined === '123456789' ? 'ssn ' : joined === '2025550143' ? 'tel ' : '';
        const written = label + (everyChar ? [...joined].join(sep) : groups.join(sep));
        assertNoCanary(wrap(written), alnum(groups.join('')));
      }),
      { numRuns: 150 },
    );
  });

  it('look-alikes are exported as written (log body and event name; span names get their own rules)', () => {
    for (const text of [
      'q=red+shoes+size+42&page=2&sort=desc',
      'search iphone+15+pro+max+256gb+2024+edition',
      '2026-12-06|200|GET|orders|12ms|1733450000',
      'build 1.0.0+20240101123',
      'area 12*34*56 mm',
      'v~1~2~3',
      '✅ 12 passed 🔥 3 failed ⏱ 1234 ms 🚀 v2',
      'orders 🍕 1200 🍔 3400 🍟 5600',
      'shard_1_2_3 took 1733450000 ms',
    ]) {
      const exported = roundTrip(text);
      expect(
        exported.filter((v) => v === text).length,
        `${text} → ${JSON.stringify(exported.filter((v) => v !== text))}`,
      ).toBeGreaterThanOrEqual(2);
    }
  });
});
