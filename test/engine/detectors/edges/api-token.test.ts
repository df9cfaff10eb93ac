import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALNUM, DIGITS, UPPER, chars, defaultPipeline, edgeScanners, prose } from './secret-edges-helpers';

// `api-token` (engine/detectors/api-token.ts, docs/detectors.md): every vendor prefix of the list, each at the
// shortest body it takes and one character shorter, at the start of a value, after a blank, glued to a word on the
// left (found but for the short `hf_`, `sk-`, `ya29.` prefixes), and the exact-length formats one longer.

const scan = edgeScanners(['api-token']);
const HEX = '0123456789abcdef';
const URL_SAFE = ALNUM + '_-';

interface Format {
  readonly prefix: string;
  /** The body's alphabet. */
  readonly alphabet: string;
  readonly min: number;
  /** The body is this long exactly: one more token character is no token (`hf_` 30-40, legacy `sk-` 48). */
  readonly max?: number;
  /** Not found glued to a letter or digit on the left. */
  readonly boundary?: boolean;
}

// The prefixes of the code's `TOKEN` list and of docs/detectors.md, each entry of an alternation apart.
const FORMATS: readonly Format[] = [
  ...['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'].map((prefix) => ({ prefix, alphabet: ALNUM, min: 36 })),
  { prefix: 'github_pat_', alphabet: ALNUM + '_', min: 22 },
  { prefix: 'glpat-', alphabet: URL_SAFE, min: 20 },
  ...['xoxa-', 'xoxb-', 'xoxp-', 'xoxo-', 'xoxs-', 'xoxr-'].map((prefix) => ({
    prefix,
    alphabet: ALNUM + '-',
    min: 10,
  })),
  ...['sk_live_', 'sk_test_', 'rk_live_', 'rk_test_'].map((prefix) => ({ prefix, alphabet: ALNUM, min: 16 })),
  { prefix: 'npm_', alphabet: ALNUM, min: 36 },
  { prefix: 'AIza', alphabet: URL_SAFE, min: 35 },
  ...['sk-ant-api03-', 'sk-ant-admin01-'].map((prefix) => ({ prefix, alphabet: URL_SAFE, min: 32, boundary: true })),
  ...['sk-proj-', 'sk-svcacct-', 'sk-admin-', 'sk-None-'].map((prefix) => ({
    prefix,
    alphabet: URL_SAFE,
    min: 20,
    boundary: true,
  })),
  { prefix: 'sk-', alphabet: ALNUM, min: 48, max: 48, boundary: true },
  { prefix: 'hf_', alphabet: ALNUM, min: 30, max: 40, boundary: true },
  { prefix: 'dckr_pat_', alphabet: URL_SAFE, min: 20 },
  ...['shpat_', 'shpss_', 'shpca_', 'shppa_'].map((prefix) => ({ prefix, alphabet: HEX, min: 32 })),
  { prefix: 'pypi-AgE', alphabet: URL_SAFE, min: 50 },
  { prefix: 'ya29.', alphabet: URL_SAFE, min: 30, boundary: true },
  { prefix: 'GOCSPX-', alphabet: URL_SAFE, min: 24 },
  { prefix: 'whsec_', alphabet: ALNUM + '+/=', min: 24 },
];

/** A body that starts and ends with a letter or digit (a trailing `-` or `=` is no edge of the length rule). */
const body = (f: Format, length: number) =>
  chars(f.alphabet, length).map((s) => (length === 0 ? s : `a${s.slice(1, -1)}${length > 1 ? '7' : ''}`));

describe('api-token: every vendor prefix at its shortest body and one shorter', () => {
  for (const f of FORMATS) {
    it(`${f.prefix}: ${f.min} token characters are found, ${f.min - 1} are not`, () => {
      fc.assert(
        fc.property(body(f, f.min), body(f, f.min - 1), prose, (full, short, word) => {
          const token = f.prefix + full;
          scan.found(token, full);
          scan.found(`${word} ${token}`, full);
          scan.found(`${word}=${token}; ${word}`, full);
          scan.kept(`${word} ${f.prefix}${short}`);
          scan.kept(`${f.prefix}${short} ${word}`);
        }),
        { numRuns: 8 },
      );
    });
  }
});

describe('api-token: a prefix glued to a word on the left', () => {
  for (const f of FORMATS) {
    it(`${f.prefix} after a letter or digit is ${f.boundary ? 'kept (the short prefix ends other words)' : 'found'}`, () => {
      fc.assert(
        fc.property(body(f, f.min), prose, fc.constantFrom(...'abcxyz09'), (full, word, glue) => {
          const text = `${word}${glue}${f.prefix}${full}`;
          if (f.boundary) scan.kept(text);
          else scan.found(text, full);
          // `_` does not glue: `x_hf_…` starts a token.
          scan.found(`${word}_${f.prefix}${full}`, full);
        }),
        { numRuns: 5 },
      );
    });
  }
});

describe('api-token: exact-length formats one character longer', () => {
  for (const f of FORMATS.filter((x) => x.max !== undefined)) {
    it(`${f.prefix} with ${f.max! + 1} letters and digits is no token`, () => {
      fc.assert(
        fc.property(body(f, f.max!), body(f, f.max! + 1), prose, (longest, over, word) => {
          scan.found(`${word} ${f.prefix}${longest} ${word}`, longest);
          scan.kept(`${word} ${f.prefix}${over} ${word}`);
        }),
        { numRuns: 10 },
      );
    });
  }

  it('a token run past a fixed length is masked whole (npm_, AIza, shpat_)', () => {
    fc.assert(
      fc.property(chars(ALNUM, 36), chars(ALNUM, 1, 6), (full, more) => {
        const text = `npm_${full}${more} x`;
        for (const s of scan.scanners) expect(s.scan(text).value).toBe('[REDACTED:api-token] x');
      }),
      { numRuns: 20 },
    );
  });
});

describe('api-token: SendGrid and Slack webhook layouts', () => {
  it('SG. 22 . 43 is found; one character short in either part is not', () => {
    fc.assert(
      fc.property(chars(URL_SAFE, 22), chars(ALNUM, 43), prose, (a, b, word) => {
        scan.found(`${word} SG.${a}.${b}`, b);
        scan.kept(`${word} SG.${a.slice(1)}.${b} ${word}`);
        scan.kept(`${word} SG.${a}.${b.slice(1)} ${word}`);
      }),
      { numRuns: 20 },
    );
  });

  it('hooks.slack.com/services/T…/B…/<16+> masks the path, the host stays; 15 characters are not a secret', () => {
    const id = (min: number) => chars(UPPER + DIGITS, min);
    fc.assert(
      fc.property(id(6), id(6), chars(ALNUM, 16), (t, b, secret) => {
        const url = `https://hooks.slack.com/services/T${t}/B${b}/${secret}`;
        for (const s of scan.scanners)
          expect(s.scan(url).value).toBe('https://hooks.slack.com/services/[REDACTED:api-token]');
        scan.kept(`https://hooks.slack.com/services/T${t}/B${b}/${secret.slice(1)}`);
        scan.kept(`https://hooks.slack.com/services/T${t.slice(1)}/B${b}/${secret}`);
        scan.kept(`https://hooks.slack.com/services/T${t}/B${b.slice(1)}/${secret}`);
        scan.kept(`https://example.com/services/T${t}/B${b}/${secret}`);
      }),
      { numRuns: 20 },
    );
  });
});

describe('api-token: Twilio API key SIDs (SK + 32 lower-case hex)', () => {
  const sid = fc
    .tuple(chars(HEX, 30), fc.constantFrom(...DIGITS), fc.constantFrom(...'abcdef'))
    .map(([h, d, l]) => `SK${d}${h}${l}`);
  it('found as the whole value (also with blanks around) or after a credential word', () => {
    fc.assert(
      fc.property(
        sid,
        fc.constantFrom(
          'twilio',
          'api key',
          'apikey',
          'sid',
          'secret',
          'token',
          'auth',
          'credential',
          'password',
          'key',
        ),
        (s, word) => {
          scan.found(s, s);
          scan.found(` ${s}\t`, s);
          scan.found(`${word}: ${s}`, s);
          scan.found(`${word.toUpperCase()}=${s}`, s);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('kept in prose without a credential word, or when its hex is all digits or all letters', () => {
    fc.assert(
      fc.property(sid, chars(DIGITS, 32), chars('abcdef', 32), prose, (s, digits, letters, word) => {
        fc.pre(!/key|sid|secret|token|auth|credential|passw|twilio/.test(word));
        scan.kept(`${word} ${s}`);
        scan.kept(`SK${digits}`);
        scan.kept(`SK${letters}`);
        scan.kept(`${s}0`);
        scan.kept(`SK${s.slice(3)}`); // 31 hex digits
      }),
      { numRuns: 30 },
    );
  });
});

describe('api-token: through real SDK providers with the default policy', () => {
  const pipeline = defaultPipeline();
  it('no vendor token of the list is exported from a log body', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...FORMATS).chain((f) => fc.tuple(fc.constant(f), body(f, f.max ?? f.min + 3))),
        prose,
        ([f, full], word) => {
          expect(pipeline.exported(`${word} ${f.prefix}${full} ${word}`)).not.toContain(full);
        },
      ),
      { numRuns: 40 },
    );
  });
});
