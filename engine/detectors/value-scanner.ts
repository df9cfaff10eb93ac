import { detectorNames } from '../../policy/schema';
import type { DetectorName } from '../../policy/schema';
import { createCustomDetector } from './custom-pattern';
import {
  NEEDS_QP,
  NEEDS_RUNS,
  NEEDS_VIEW,
  PREPASS_FLAGS,
  base64Runs,
  base64TextStartBytes,
  decodeBase32Text,
  decodeBase64Text,
  decodeBytesText,
  decodeHexText,
  MIN_BASE64_RUN,
  hasEscapedTriplet,
  hexRuns,
  normalizeView,
} from './normalizer';
import type { NormalizedView } from './normalizer';
import {
  TOO_LARGE,
  byteRunBytes,
  byteRuns,
  utf8CodeUnits,
  decodeLowerBase64,
  groupedBase64Runs,
  hasQuotedPrintable,
  inflateBase64,
  lowerBase64Runs,
  reversed,
  ungroupedBase64,
} from './encoded-forms';
import { OBFUSCATION_HINT, emailDetector, findAt as findEmailAt } from './email';
import {
  CANDIDATE,
  EMAIL_OBFUSCATION,
  OBFUSCATION_HINT_DERIVED_FROM,
  SPACED_CANDIDATE,
  TIME_CANDIDATE,
  TIME_TRIGGER_DERIVED_FROM,
  UNFILTERED,
  classify,
  conditionIsCurrent,
  digitsOf,
} from './prefilter';
import { builtInDetectors, detectorPrecedence } from './registry';
import { markupView, mayHoldMarkup } from './markup-view';
import { spacedAt, spacedView, spacedWord } from './spaced-view';
import { codeUnitsText } from '../split-values';
import { TIME_TRIGGER, findTimeEdits } from '../time-in-text';
import type { TimeEdit } from '../time-in-text';
import type { Detector, Finding } from './types';
import { isAlnum } from './chars';

export { checkCustomPattern } from './custom-pattern';

/** Default bound on the inspected length of one value (64 KiB of UTF-16 code units). */
export const DEFAULT_MAX_SCAN_LENGTH = 64 * 1024;

/** `text` when at most one character in four is a line break (what `codeUnitsText` writes for a byte that is no text). */
function mostlyText(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  let breaks = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) breaks++;
  return breaks * 4 <= text.length ? text : undefined;
}

/** The `{type}` written for the part of a value beyond `maxScanLength`. */
export const UNSCANNED_TYPE = 'unscanned';

/** Options of `createValueScanner` (the policy's `values` block plus the hash function). */
export interface ValueScannerOptions {
  /** Built-in detectors to run: `'all'` or a list of names. */
  readonly detectors: 'all' | readonly DetectorName[];
  /** Custom patterns (checked with `checkCustomPattern`; a refused pattern throws). */
  readonly custom?: readonly { readonly name: string; readonly pattern: string }[];
  /** `mask`: replace each finding with `mask`; `hash`: with `hash(finding)`; `drop`: drop the whole value. */
  readonly action: 'mask' | 'hash' | 'drop';
  /** Mask format, `{type}` is replaced by the detector name (e.g. `[REDACTED:{type}]`). */
  readonly mask: string;
  /** Longest prefix inspected (default `DEFAULT_MAX_SCAN_LENGTH`); the rest is handled per `unscannedTail`. */
  readonly maxScanLength?: number;
  /** Keyed pseudonym of a finding's text; required for `action: 'hash'`. */
  readonly hash?: (text: string) => string;
  /** Text beyond `maxScanLength`: `mask` (default, replaced by the mask with type `unscanned`) or `drop` the value. */
  readonly unscannedTail?: 'mask' | 'drop';
  /**
   * How many recently seen clean values (up to 256 characters) are remembered so repeats skip the
   * detectors (telemetry repeats routes, user agents, messages). Only values without findings are
   * kept, so no personal data is retained. Default 4096; 0 disables.
   */
  readonly cleanCacheSize?: number;
  /**
   * Where findings are counted, by type (detector or custom pattern name, `unscanned` for a tail
   * beyond `maxScanLength`): one integer increment per finding. Default: the scanner's own
   * `findings` record.
   */
  readonly findings?: Record<string, number>;
  /**
   * When given, its `total` is incremented with every finding counted into `findings` (the engine reads it to tell
   * whether a scan counted anything, without summing the record).
   */
  readonly tally?: FindingTally;
  /**
   * When given, the type of every counted finding is also appended here (the leak alarm's `FindingLog.pending`);
   * nothing is appended for clean values.
   */
  readonly findingLog?: string[];
  /**
   * Also scan the normalized view of each value (Unicode compatibility forms, invisible characters,
   * repeated percent-decoding, JS/JSON escapes, HTML references) and the text of base64 runs, and mask
   * what is found there in the original. Default true; the scanner's single pass over each value (see
   * `prefilter.ts`) decides whether a value needs it, so clean ASCII pays almost nothing.
   */
  readonly normalize?: boolean;
  /**
   * For tests only: `false` turns the single-pass pre-filter off, so every detector's own `mayMatch` decides and
   * every value goes through the normalized path (the pre-filter's oracle). Default true.
   */
  readonly prefilter?: boolean;
  /**
   * `values.timestamps: coarsen`: date-times written in the text (`engine/time-in-text.ts`) are rounded down to this
   * precision (ms) in the output, in the same pass (the pre-filter's time bit decides whether a value is looked at).
   * A finding overlapping a date-time wins (it is masked). Not counted as findings. Absent: times are kept.
   */
  readonly timestampPrecision?: number;
}

/** A running total of the findings counted into a findings record (all types together). */
export interface FindingTally {
  /** Findings counted so far; only ever incremented. */
  total: number;
}

/** The outcome of scanning one value. */
export interface ScanResult {
  /** The value to export (the input itself when nothing was found); meaningless when `dropped`. */
  readonly value: string;
  /** Number of (merged) findings, including an unscanned tail. */
  readonly findings: number;
  /** The whole value must be removed (`action: 'drop'` with a finding, or `unscannedTail: 'drop'`). */
  readonly dropped: boolean;
  /** Distinct finding types in order of first appearance (detector or custom names, `unscanned`). */
  readonly types: readonly string[];
}

/** A compiled value scanner. */
export interface DetectorScanner {
  /** Scans one value and reports what was found. Allocates one small object for clean values. */
  scan(value: string): ScanResult;
  /**
   * The hot-path form of `scan`: the value to export, or `undefined` to drop it. Returns the input
   * itself (no allocation) when nothing was found.
   */
  redact(value: string): string | undefined;
  /**
   * `redact` for a value a sanitizer rewrote: `transformed` is scanned, and so is `raw`, because a
   * rewrite can break the context a detector needs (`?token=Bearer <value>` once the parameter is
   * `REDACTED`). A finding in `raw` whose text (or any word of it of 8 or more characters with a
   * digit) is still in the output is masked there too. Returns the value to export, or `undefined` to drop it.
   */
  redactTransformed(raw: string, transformed: string): string | undefined;
  /** Names of the detectors this scanner runs, in precedence order. */
  readonly detectors: readonly string[];
  /** Findings counted so far, by type (a null-prototype record; see `ValueScannerOptions.findings`). */
  readonly findings: Record<string, number>;
  /**
   * The types of every finding in `value`, one entry per (merged) finding, `unscanned` when it is
   * longer than `maxScanLength`; `undefined` when clean. Counts nothing and caches nothing: the
   * engine uses it for attribute keys, whose result it caches with the key's decision and counts on
   * every occurrence.
   */
  findingTypes(value: string): readonly string[] | undefined;
  /**
   * Numbers at least this large in magnitude can hold a finding (a digit-only detector's shortest
   * match, at least 10^6); `Infinity` when no detector this scanner runs can match a number.
   */
  readonly numberFloor: number;
}

const NO_TYPES: readonly string[] = Object.freeze([]);

/** Values shorter than this cannot hold a built-in finding (`a@b.co`, `1.2.3.4` are longer). */
const MIN_BUILT_IN_LENGTH = 6;

/** Built-in detectors that can match a number written as plain decimal digits. */
const NUMBER_DETECTORS: ReadonlySet<string> = new Set(['payment-card', 'us-ssn', 'phone']);

/** Longest value remembered in the clean-value cache. */
const MAX_CACHED_LENGTH = 256;

/** How far back from the cut the scan looks for a token boundary, so no token is split in half. */
const CUT_BACKOFF = 256;

function isCutBoundary(c: number): boolean {
  return (
    c === 32 ||
    c === 9 ||
    c === 10 ||
    c === 13 ||
    c === 44 ||
    c === 59 ||
    c === 38 ||
    c === 34 ||
    c === 39 ||
    c === 60 ||
    c === 62 ||
    c === 40 ||
    c === 41 ||
    c === 91 ||
    c === 93 ||
    c === 123 ||
    c === 125 ||
    c === 124
  );
}

/**
 * How far past the cut of a long value the detectors read. A finding that starts in the scanned prefix and runs past
 * the cut (a grouped card or IBAN cut between two groups) is masked up to the cut, not left half in clear.
 */
const CUT_LOOKAHEAD = 256;

/** Where to cut a long value: at `max`, moved back to just after a boundary character when one is near. */
function cutPoint(value: string, max: number): number {
  const min = Math.max(0, max - CUT_BACKOFF);
  for (let i = max - 1; i >= min; i--) if (isCutBoundary(value.charCodeAt(i))) return i + 1;
  // No separator: never split a surrogate pair (its lone high half is no valid UTF-8 on the wire).
  const last = value.charCodeAt(max - 1);
  return last >= 0xd800 && last <= 0xdbff && max > 1 ? max - 1 : max;
}

/**
 * Shortest word of a raw finding that is masked on its own when the whole finding is not in the
 * output (words must also hold a digit, so a domain name such as `example` is not one).
 */
const MIN_PIECE = 8;

/** What splits a raw finding into words (`redactTransformed`): a run of characters outside `[A-Za-z0-9+/=_~-]`. */
export const PIECE_SEPARATORS = /[^A-Za-z0-9+/=_~-]+/;

/** Shortest word of a raw finding whose presence in the output (`hasLeftover`) makes the whole value masked. */
const MIN_LEFTOVER = 3;

/**
 * Whether a run of ASCII letters and digits of `secret` with a digit, `MIN_LEFTOVER` or more characters long, is in
 * `out`. Slices only such runs (no allocation for the others).
 */
export function hasLeftover(out: string, secret: string): boolean {
  let start = 0;
  let digit = false;
  for (let i = 0; i <= secret.length; i++) {
    const c = i < secret.length ? secret.charCodeAt(i) : -1;
    if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)) {
      if (c <= 57) digit = true;
      continue;
    }
    if (digit && i - start >= MIN_LEFTOVER && out.indexOf(secret.slice(start, i)) !== -1) return true;
    start = i + 1;
    digit = false;
  }
  return false;
}

/**
 * A raw finding not found whole in `out` (a sanitizer rewrote around it): each of its words (split at
 * `PIECE_SEPARATORS`) of `MIN_PIECE` or more characters holding a digit, in order, replaced everywhere in `out` by
 * `mask` (or, without one, by `hash(word)`) where it is still there. `undefined` when no word was found (nothing
 * replaced, nothing to count). One pass over the finding; a word is sliced only when it qualifies.
 */
export function replaceWords(
  out: string,
  secret: string,
  mask: string | undefined,
  hash: ((text: string) => string) | undefined,
): string | undefined {
  let hit = false;
  let start = 0;
  let digit = false;
  for (let i = 0; i <= secret.length; i++) {
    const c = i < secret.length ? secret.charCodeAt(i) : -1;
    if (c !== -1 && isPieceChar(c)) {
      if (c >= 48 && c <= 57) digit = true;
      continue;
    }
    if (digit && i - start >= MIN_PIECE) {
      const piece = secret.slice(start, i);
      if (out.indexOf(piece) !== -1) {
        out = out.split(piece).join(mask ?? hash!(piece));
        hit = true;
      }
    }
    start = i + 1;
    digit = false;
  }
  return hit ? out : undefined;
}

/**
 * The local part of an address found in `secret` up to the first URL separator (`/` `?` `=` `&` `#`) after its last
 * letter or digit (`jane.doe/` of `jane.doe/@…`, `jane?` of `jane?=@…`), when two characters or more come before it;
 * else ''.
 */
function localBeforeSeparator(secret: string): string {
  const at = secret.indexOf('@');
  let k = at - 1;
  while (k >= 0 && !isAlnum(secret.charCodeAt(k))) k--;
  if (k < 1) return '';
  for (let j = k + 1; j < at; j++) {
    const c = secret.charCodeAt(j);
    if (c === 47 || c === 63 || c === 61 || c === 38 || c === 35) return secret.slice(0, j + 1);
  }
  return '';
}

/**
 * Whether `out` holds an ASCII digit. Every word `replaceWords` looks for and every run `hasLeftover` looks for holds
 * one, so in an output without a digit neither can find anything: `redactTransformed` skips both reads there (a URL or
 * statement rewritten to `/users/{id}/orders?page=REDACTED` or `… WHERE id = ?`).
 */
export function holdsDigit(out: string): boolean {
  for (let i = 0; i < out.length; i++) {
    const c = out.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}

/** Whether `c` (a UTF-16 code unit) is a character of a word of a raw finding (not in `PIECE_SEPARATORS`). */
function isPieceChar(c: number): boolean {
  return (
    (c >= 48 && c <= 57) ||
    (c >= 65 && c <= 90) ||
    (c >= 97 && c <= 122) ||
    c === 43 ||
    c === 47 ||
    c === 61 ||
    c === 95 ||
    c === 126 ||
    c === 45
  );
}

/** How deep base64 inside base64 is decoded (`base64(base64(email))` is found, one level more is not). */
const MAX_BASE64_DEPTH = 2;

/**
 * Whether a text with pre-filter verdict `pre` may hold a run `detectRuns` decodes: `NEEDS_RUNS`, or `NEEDS_VIEW`
 * (`classify` stops looking for runs once a view is needed). A text with neither holds none (the pre-filter's
 * contract, `test/engine/detectors/prefilter.test.ts`): a value with only quoted-printable triplets (`status=200 …`),
 * or a first view that decoded `%XX` into clean text, is not searched for runs.
 */
function mayHoldRuns(pre: number): boolean {
  return (pre & (NEEDS_RUNS | NEEDS_VIEW)) !== 0;
}

/** Largest cluster resolved finding by finding; bigger (hostile) ones are masked as one. */
const MAX_CLUSTER = 32;

/**
 * Resolves overlapping `found[from, to)` (spanning up to `end`) into `out`, in order of start. Higher-precedence
 * findings win where findings overlap; the parts of a lower one outside every winner are kept as findings of its own
 * type (one per uncovered piece), so a finding partly covered by another (`4111 1111 1111 1111jane.doe@example.com`:
 * the card and `1111jane.doe@example.com`) is masked whole, and one covered whole is dropped. A piece that starts
 * with `@` where a winner ends is dropped too: it is the host name after masked userinfo (`s3cret@db.example.com`, an
 * e-mail, and `token:s3cret@db.example.com`, a labeled secret, in `postgres://token:s3cret@db.example.com` are the
 * userinfo, masked as `url-credentials`, and the host). The result never overlaps.
 */
function resolveCluster(
  text: string,
  found: Finding[],
  from: number,
  to: number,
  end: number,
  rank: Map<string, number>,
  out: Finding[],
): void {
  const cluster = found.slice(from, to);
  cluster.sort((a, b) => rank.get(a.type)! - rank.get(b.type)! || a.start - b.start);
  if (cluster.length > MAX_CLUSTER) {
    out.push({ start: found[from].start, end, type: cluster[0].type });
    return;
  }
  // Disjoint, in order of start.
  const kept: Finding[] = [];
  for (const f of cluster) {
    let pos = f.start;
    let k = 0;
    while (k < kept.length && kept[k].end <= pos) k++;
    while (pos < f.end) {
      const x = k < kept.length && kept[k].start < f.end ? kept[k] : undefined;
      const stop = x === undefined ? f.end : Math.max(pos, x.start);
      if (stop > pos && (pos === f.start || text.charCodeAt(pos) !== 64)) {
        // An uncovered piece; next to a kept finding of the same type (the same type found in two views: a JWT's
        // first line in the value, the whole token across a quoted-printable soft line break) it extends it.
        const before = k > 0 ? kept[k - 1] : undefined;
        if (before !== undefined && pos > f.start && before.type === f.type && before.end === pos)
          kept[k - 1] = { start: before.start, end: stop, type: f.type };
        else if (x !== undefined && x.type === f.type && x.start === stop) {
          kept[k] = { start: pos, end: x.end, type: f.type };
          k++;
        } else kept.splice(k++, 0, { start: pos, end: stop, type: f.type });
        if (x === undefined) break;
      }
      if (x === undefined) break;
      pos = x.end;
      if (kept[k] === x) k++;
    }
  }
  for (const f of kept) out.push(f);
}

/** Findings and date-time edits in text order; an edit overlapping a finding is left out (the mask wins). */
function withTimes(findings: readonly Finding[], times: readonly TimeEdit[]): (Finding | TimeEdit)[] {
  let masks: Finding[] = [...findings];
  const edits: TimeEdit[] = [];
  for (const t of times) {
    if (!masks.some((f) => f.start < t.end && t.start < f.end)) {
      edits.push(t);
      continue;
    }
    // A date-time overlapping a finding is masked with it, whole: a finding inside its fraction
    // (`10:15:01,66589030788965`) must not leave the seconds before it as written.
    let start = t.start;
    let end = t.end;
    let first: Finding | undefined;
    const kept: Finding[] = [];
    for (const f of masks)
      if (f.start < end && start < f.end) {
        first ??= f;
        start = Math.min(start, f.start);
        end = Math.max(end, f.end);
      } else kept.push(f);
    kept.push({ ...first!, start, end });
    masks = kept;
  }
  return [...masks, ...edits].sort((a, b) => a.start - b.start);
}

/**
 * Builds a value scanner from the policy's `values` block. Every detector runs in time
 * linear in the inspected text; a value longer than `maxScanLength` is scanned up to that bound
 * (cut at a token boundary) and the rest is masked as `unscanned` (fail closed). Overlapping
 * findings are merged and reported with the most specific type (see `detectorPrecedence`); every
 * finding in a value is handled.
 */
/** The candidate bit that lets the spaced view run without eight digits (`spacedAt`: an address written apart). */
const SPACED_EMAIL = CANDIDATE.email;

export function createValueScanner(options: ValueScannerOptions): DetectorScanner {
  const { action, mask } = options;
  if (action === 'hash' && options.hash === undefined)
    throw new Error('values.action "hash" needs a hash function (an HMAC key)');
  const maxScanLength = options.maxScanLength ?? DEFAULT_MAX_SCAN_LENGTH;
  if (!Number.isInteger(maxScanLength) || maxScanLength <= 0)
    throw new Error('values.maxScanLength must be a positive integer');
  const tailPolicy = options.unscannedTail ?? 'mask';
  const cleanCacheSize = options.cleanCacheSize ?? 4096;
  const findings: Record<string, number> = options.findings ?? (Object.create(null) as Record<string, number>);
  const log = options.findingLog;
  const tally: FindingTally = options.tally ?? { total: 0 };
  // Clean values seen recently; cleared when full (cheap, bounded, holds no findings).
  const cleanCache = new Set<string>();

  const wanted = new Set<string>(options.detectors === 'all' ? detectorNames : options.detectors);
  for (const name of wanted) if (!(name in builtInDetectors)) throw new Error(`unknown detector "${name}"`);
  const custom = (options.custom ?? []).map((c) => createCustomDetector(c.name, c.pattern));
  const builtIns = detectorPrecedence.filter((n) => wanted.has(n)).map((n) => builtInDetectors[n]);
  const detectors: Detector[] = [...custom, ...builtIns];
  const rank = new Map<string, number>();
  detectors.forEach((d, i) => {
    if (!rank.has(d.name)) rank.set(d.name, i);
  });
  const minLength = custom.length > 0 ? 1 : MIN_BUILT_IN_LENGTH;
  // The single pass (`classify`) gives each built-in detector a candidate bit; custom patterns have none (0: they
  // run on every value). `minDigits[k]`: detector k is skipped below that many ASCII digits.
  // A built-in detector changed since its condition was derived gets none either (fail open: it runs on every value).
  const candidateBits = detectors.map((d) =>
    d.name in CANDIDATE && conditionIsCurrent(d) ? CANDIDATE[d.name as DetectorName] : 0,
  );
  const minDigits = detectors.map((d) => d.minDigits ?? 0);
  // `email` without `EMAIL_OBFUSCATION`: its `find` is `findAt` (the obfuscation hint cannot match), so the hint's
  // whole-value regex is skipped. Only while the bit was derived from the current hint and trigger (else fail open).
  const plainEmail = detectors.map(
    (d, k) =>
      d === emailDetector &&
      candidateBits[k] !== 0 &&
      OBFUSCATION_HINT.source === OBFUSCATION_HINT_DERIVED_FROM &&
      OBFUSCATION_HINT.flags === 'i',
  );
  // With custom patterns (or a detector without a bit) every value reaches the detector loop.
  const wantedBits = candidateBits.includes(0) ? -1 : candidateBits.reduce((m, b) => m | b, 0);
  const usePrefilter = options.prefilter ?? true;
  const timePrecision = options.timestampPrecision;
  // The time bit is used only while it was derived from the current trigger (else every value is looked at).
  const timeBit =
    usePrefilter && TIME_TRIGGER.source === TIME_TRIGGER_DERIVED_FROM && TIME_TRIGGER.flags === ''
      ? TIME_CANDIDATE
      : -1;
  // The pre-filter verdict of the last `collect` (its time bit decides whether `run` looks for date-times).
  let lastPre = UNFILTERED;
  // Scratch list reused across scans (a scan never re-enters itself before copying out of it).
  const scratch: Finding[] = [];

  const masks = new Map<string, string>();
  const maskFor = (type: string): string => {
    let m = masks.get(type);
    if (m === undefined) {
      m = mask.split('{type}').join(type);
      masks.set(type, m);
    }
    return m;
  };
  const replacement = (text: string, f: Finding): string =>
    action === 'hash' ? options.hash!(text.slice(f.start, f.end)) : maskFor(f.type);

  const normalize = options.normalize ?? true;

  /**
   * Runs the detectors over `text`, appending raw (unsorted, unmerged) findings to `out`. `bits`: the
   * pre-filter's verdict on `text` when the caller already has it (`classify`).
   */
  const detect = (text: string, out: Finding[], bits = usePrefilter ? classify(text) : UNFILTERED): void => {
    if ((bits & wantedBits) === 0 && wantedBits !== -1) return;
    const digits = digitsOf(bits);
    for (let k = 0; k < detectors.length; k++) {
      const bit = candidateBits[k];
      if (bit !== 0 && ((bits & bit) === 0 || digits < minDigits[k])) continue;
      const d = detectors[k];
      if (!d.mayMatch(text)) continue;
      // Without `NEEDS_VIEW` the single pass saw no `%XX`, so no `%40` anchor either.
      if (plainEmail[k] && (bits & EMAIL_OBFUSCATION) === 0) findEmailAt(text, out, (bits & NEEDS_VIEW) !== 0);
      else d.find(text, out);
    }
  };

  /**
   * The spaced view of `text` (`spaced-view.ts`) when the pre-filter's verdict `pre` found its condition and a detector
   * that reads it could match (four digits: `ipv4`'s minimum, an address written apart such as `1 0 . 0 . 0 . 1`;
   * non-ASCII text, an `@` between two equal separators, or a key id or token written apart): its findings, mapped to
   * ranges of `text`, appended to `out`. Whether it was built.
   */
  const detectSpaced = (text: string, out: Finding[], pre: number): boolean => {
    const spaced =
      normalize &&
      (pre & SPACED_CANDIDATE) !== 0 &&
      (digitsOf(pre) >= 4 ||
        (pre & NEEDS_VIEW) !== 0 ||
        ((pre & SPACED_EMAIL) !== 0 && spacedAt(text)) ||
        spacedWord(text))
        ? spacedView(text)
        : undefined;
    if (spaced === undefined) return false;
    const inView: Finding[] = [];
    detect(spaced.text, inView);
    for (const f of inView) pushMapped(text, spaced, f, out);
    return true;
  };

  /**
   * Findings in the normalized view of `text` and in its decodable base64 (also wrapped across lines),
   * base32 and hex runs, mapped to ranges of `text`, appended to `out`. A run whose text holds a finding is
   * masked whole (its type is the first finding's). `withView`: false when the pre-filter found only runs in clean
   * ASCII (whose view is the text itself), so no view is built. `pre`: the pre-filter's verdict on `text`. Runs are
   * looked for only in a text whose own verdict has `NEEDS_RUNS` or `NEEDS_VIEW` (`mayHoldRuns`): the view's is taken
   * once and serves its detectors too.
   */
  /**
   * An invisible character written instead of a blank (`Bearer\u200b<token>`, `123\u2060…`): the normalized view glued
   * its neighbours; a second view of `text` reads each as a space (only for values that hold one). A function of its
   * own: written inside `detectNormalized`, every value's scan ran about 5 % slower (scanner A/B, free text).
   */
  const detectBlanked = (text: string, out: Finding[]): void => {
    const blanked = normalizeView(text, false, ' ');
    if (blanked === undefined) return;
    const inBlanked: Finding[] = [];
    const blankedPre = usePrefilter ? classify(blanked.text) : UNFILTERED;
    detect(blanked.text, inBlanked, blankedPre);
    detectSpaced(blanked.text, inBlanked, blankedPre);
    for (const f of inBlanked) pushMapped(text, blanked, f, out);
  };

  const detectNormalized = (text: string, out: Finding[], depth: number, pre: number): void => {
    const view = (pre & NEEDS_VIEW) !== 0 ? normalizeView(text) : undefined;
    const viewText = view === undefined ? text : view.text;
    const viewPre = view === undefined ? pre : usePrefilter ? classify(viewText) : UNFILTERED;
    const qp = (pre & NEEDS_QP) !== 0;
    const mapped: Finding[] = [];
    if (view !== undefined) {
      detect(viewText, mapped, viewPre);
      // Characters one separator apart inside escapes or compatibility forms (`4&#32;1&#32;1…`, `ｊ．ａ．ｎ．ｅ…`,
      // `4\u200b.1\u200b.1…`): the spaced view of the value sees `&#32;` or `．`, the view's text sees the separators.
      detectSpaced(viewText, mapped, viewPre);
      if (view.invisibles === true) detectBlanked(text, out);
    }
    // Quoted-printable forms in the value, and in the first view's text: another escape may write the `=` (`%3D40`)
    // or a lone triplet's neighbours (`\x7a=71\x78`), or write the `=` of a lone triplet (`Beare\07572`). The second
    // view then decodes every triplet.
    if (
      (qp && hasQuotedPrintable(text)) ||
      (view !== undefined && (hasQuotedPrintable(viewText, true) || hasEscapedTriplet(text, view)))
    ) {
      // Quoted-printable: a second view (the first keeps `key=4111…` as written), with its runs, mapped back on its
      // own.
      const qpView = normalizeView(text, true);
      if (qpView !== undefined) {
        const qpFound: Finding[] = [];
        const qpPre = usePrefilter ? classify(qpView.text) : UNFILTERED;
        detect(qpView.text, qpFound, qpPre);
        detectSpaced(qpView.text, qpFound, qpPre);
        if (depth < MAX_BASE64_DEPTH && mayHoldRuns(qpPre)) detectRuns(qpView.text, depth, qpFound);
        for (const f of qpFound) pushMapped(text, qpView, f, out);
      }
    }
    if (depth < MAX_BASE64_DEPTH && mayHoldRuns(viewPre)) detectRuns(viewText, depth, mapped);
    // Markup written with escapes (`jane.doe&lt;span&gt;@&lt;/span&gt;…`, `%3Cb%3E`, `\u003cb\u003e`): the view's
    // markup view, mapped to the view and from there to the value.
    if (view !== undefined && depth < MAX_BASE64_DEPTH && mayHoldMarkup(viewText)) {
      const markup = markupView(viewText);
      const inner = markup === undefined ? undefined : collect(markup.text, depth + 1);
      if (inner !== undefined) for (const f of inner) pushMapped(viewText, markup!, f, mapped);
    }
    for (const f of mapped) {
      if (view === undefined) out.push(f);
      else pushMapped(text, view, f, out);
    }
  };

  /** Findings in the decodable runs of `viewText` (base64, base32, hex, byte runs, …), appended to `mapped`. */
  const detectRuns = (viewText: string, depth: number, mapped: Finding[]): void => {
    const runs = base64Runs(viewText);
    for (let r = 0; r < runs.length; r += 2) {
      const run = viewText.slice(runs[r], runs[r + 1]);
      const type = base64Finding(run, depth);
      if (type !== undefined) mapped.push({ start: runs[r], end: runs[r + 1], type });
      else {
        // A run wrapped onto a next line that is other text (`X-Payload: <base64>\r\nAccept: */*`: the word
        // `Accept` reads as one more base64 line, and the whole no longer decodes): the lines before it, once.
        const lastBreak = run.lastIndexOf('\n');
        if (lastBreak === -1) continue;
        const cut = run.charCodeAt(lastBreak - 1) === 13 ? lastBreak - 1 : lastBreak;
        const before = base64Finding(run.slice(0, cut), depth);
        if (before !== undefined) mapped.push({ start: runs[r], end: runs[r] + cut, type: before });
      }
    }
    const hex = hexRuns(viewText);
    for (let r = 0; r < hex.length; r += 2) {
      const decoded = decodeHexText(viewText.slice(hex[r], hex[r + 1]));
      const inner = decoded === undefined ? undefined : collect(decoded, depth + 1);
      if (inner !== undefined) mapped.push({ start: hex[r], end: hex[r + 1], type: inner[0].type });
    }
    // Separated hex bytes, decimal byte lists and lower-cased base64 (`encoded-forms.ts`). A run that is no UTF-8 text
    // is read as character codes, a byte that is none a line break (`106,97,110,101,…,0`: a C string's terminating 0).
    const bytes = byteRuns(viewText);
    for (let r = 0; r < bytes.length; r += 3) {
      const run = byteRunBytes(viewText.slice(bytes[r], bytes[r + 1]), bytes[r + 2]);
      const decoded = decodeBytesText(run) ?? codeUnitsText(utf8CodeUnits(run), run.length);
      const inner = decoded === undefined ? undefined : collect(decoded, depth + 1);
      if (inner !== undefined) mapped.push({ start: bytes[r], end: bytes[r + 1], type: inner[0].type });
    }
    // Base64 written in separated groups (`enF4 LmZh a2Vw …`), decoded as one run.
    const grouped = groupedBase64Runs(viewText);
    for (let r = 0; r < grouped.length; r += 2) {
      const type = base64Finding(ungroupedBase64(viewText.slice(grouped[r], grouped[r + 1])), depth);
      if (type !== undefined) mapped.push({ start: grouped[r], end: grouped[r + 1], type });
    }
    const lower = lowerBase64Runs(viewText);
    for (let r = 0; r < lower.length; r += 2) {
      const decoded = decodeLowerBase64(viewText.slice(lower[r], lower[r + 1]));
      const inner = decoded === undefined ? undefined : collect(decoded, depth + 1);
      if (inner !== undefined) mapped.push({ start: lower[r], end: lower[r + 1], type: inner[0].type });
    }
  };

  /** Appends finding `f` of `view` mapped to its range of `text` (the whole value when it cannot be mapped). */
  const pushMapped = (text: string, view: NormalizedView, f: Finding, out: Finding[]): void => {
    const start = view.from[f.start];
    const end = view.to[f.end - 1];
    // A range that cannot be mapped back masks the whole value (fail closed).
    if (!(start >= 0 && end > start && end <= text.length)) out.push({ start: 0, end: text.length, type: f.type });
    else out.push({ start, end, type: f.type });
  };

  /**
   * The type of the first finding in the text a base64 run decodes to (tried whole, then per `/` segment), or
   * a base32 run (upper case and `2-7` only) decodes to.
   */
  const base64Finding = (run: string, depth: number): string | undefined => {
    const candidates = [run];
    if (run.includes('/')) for (const part of run.split('/')) if (part.length >= MIN_BASE64_RUN) candidates.push(part);
    for (const candidate of candidates) {
      // Both readings: base32 text also reads as base64 (now and then as UTF-16 in another script).
      const asBase64 = decodeBase64Text(candidate);
      const inner = asBase64 === undefined ? undefined : collect(asBase64, depth + 1);
      if (inner !== undefined) return inner[0].type;
      const asBase32 = decodeBase32Text(candidate);
      const inner32 = asBase32 === undefined ? undefined : collect(asBase32, depth + 1);
      if (inner32 !== undefined) return inner32[0].type;
      // Text with bytes that are no text in it (an address before a C string's NUL, a binary field between text
      // fields) is not refused whole: read as byte runs are, such a byte a line break, when three in four characters
      // are text (binary data that only starts like text, `GIF89a…`, is not scanned again).
      const bytes = asBase64 === undefined ? base64TextStartBytes(candidate) : undefined;
      const lenient = bytes === undefined ? undefined : mostlyText(codeUnitsText(utf8CodeUnits(bytes), bytes.length));
      const innerLenient = lenient === undefined ? undefined : collect(lenient, depth + 1);
      if (innerLenient !== undefined) return innerLenient[0].type;
    }
    // The whole run as gzip or zlib data (bounded: a bigger output is not scanned, so the run is masked) and
    // reversed (`encoded-forms.ts`).
    const inflated = inflateBase64(run, decodeBytesText);
    if (inflated === TOO_LARGE) return UNSCANNED_TYPE;
    const other = inflated ?? decodeBase64Text(reversed(run));
    const inner = other === undefined ? undefined : collect(other, depth + 1);
    return inner === undefined ? undefined : inner[0].type;
  };

  /** All findings in `text`, merged, in order; `undefined` when there are none. */
  const collect = (text: string, depth = 0): Finding[] | undefined => {
    if (scratch.length !== 0) scratch.length = 0;
    // One pass gives the candidate detectors, the digit count and whether a normalized view is needed.
    const pre = usePrefilter ? classify(text) : UNFILTERED;
    lastPre = pre;
    detect(text, scratch, pre);
    // Characters one separator apart and digit groups with long or unusual separators (`spaced-view.ts`): when the
    // single pass found the view's necessary condition (`SPACED_CANDIDATE`) and a detector that reads them could
    // match (eight digits, non-ASCII text, an `@` between two equal separators, or a key id or token written apart).
    const normalized = normalize && (pre & PREPASS_FLAGS) !== 0;
    // Markup tags or a line continuation inside a value (`jane.doe<!-- -->@…`, `exam\` + line break + `ple.com`).
    const markup = normalize && depth < MAX_BASE64_DEPTH && mayHoldMarkup(text);
    if (scratch.length === 0 && !normalized && !markup && (!normalize || (pre & SPACED_CANDIDATE) === 0))
      return undefined;
    const found = scratch.slice();
    // Emptied keeping its backing store (`length = 0` frees it, and the next finding would allocate it again).
    while (scratch.length !== 0) scratch.pop();
    if (detectSpaced(text, found, pre)) lastPre = pre;
    if (found.length === 0 && !normalized && !markup) return undefined;
    if (normalized) {
      detectNormalized(text, found, depth, pre);
      // The views are scanned with collect too: the bits `run` reads are this text's, not the last view's.
      lastPre = pre;
    }
    if (markup) {
      const view = markupView(text);
      const inner = view === undefined ? undefined : collect(view.text, depth + 1);
      if (inner !== undefined) for (const f of inner) pushMapped(text, view!, f, found);
      lastPre = pre;
    }
    if (found.length === 0) return undefined;
    // One finding is already merged (a log line with one address: no sort, no second array).
    if (found.length === 1) return found;
    found.sort((a, b) => a.start - b.start || rank.get(a.type)! - rank.get(b.type)!);
    const merged: Finding[] = [];
    // Sweep clusters of overlapping findings; inside a cluster the higher-precedence findings win and what lower ones
    // cover outside them is kept (`resolveCluster`).
    let from = 0;
    while (from < found.length) {
      let to = from + 1;
      let end = found[from].end;
      while (to < found.length && found[to].start < end) {
        if (found[to].end > end) end = found[to].end;
        to++;
      }
      if (to - from === 1) merged.push(found[from]);
      else resolveCluster(text, found, from, to, end, rank, merged);
      from = to;
    }
    return merged;
  };

  /**
   * The findings of the part of `value` that is scanned, `value[0, cut)`: the detectors also read `CUT_LOOKAHEAD`
   * characters past the cut, so a finding that straddles it is kept, clipped to the cut; findings after it are left
   * to the unscanned tail.
   */
  const collectPrefix = (value: string, cut: number): Finding[] | undefined => {
    if (cut >= value.length) return collect(value);
    const found = collect(value.slice(0, Math.min(value.length, cut + CUT_LOOKAHEAD)));
    if (found === undefined) return undefined;
    const kept: Finding[] = [];
    for (const f of found) if (f.start < cut) kept.push(f.end > cut ? { start: f.start, end: cut, type: f.type } : f);
    return kept.length > 0 ? kept : undefined;
  };

  /** Core: returns `value` itself when clean, `undefined` when dropped, else the rewritten value; fills `info` when given. */
  const run = (value: string, info: { findings: number; types: string[] } | undefined): string | undefined => {
    if (value.length < minLength) return value;
    const cacheable = cleanCacheSize > 0 && value.length <= MAX_CACHED_LENGTH;
    if (cacheable && cleanCache.has(value)) return value;
    const truncated = value.length > maxScanLength;
    const cut = truncated ? cutPoint(value, maxScanLength) : value.length;
    const text = truncated ? value.slice(0, cut) : value;
    const merged = truncated ? collectPrefix(value, cut) : collect(text);
    const times =
      timePrecision !== undefined && (lastPre & timeBit) !== 0 ? findTimeEdits(text, timePrecision) : undefined;
    if (merged === undefined && times === undefined && !truncated) {
      if (cacheable) {
        if (cleanCache.size >= cleanCacheSize) cleanCache.clear();
        cleanCache.add(value);
      }
      return value;
    }
    if (merged !== undefined)
      for (let i = 0; i < merged.length; i++) {
        findings[merged[i].type] = (findings[merged[i].type] ?? 0) + 1;
        tally.total++;
        if (log !== undefined) log.push(merged[i].type);
      }
    if (truncated) {
      findings[UNSCANNED_TYPE] = (findings[UNSCANNED_TYPE] ?? 0) + 1;
      tally.total++;
      if (log !== undefined) log.push(UNSCANNED_TYPE);
    }
    if (info !== undefined) {
      for (const f of merged ?? []) {
        info.findings++;
        if (!info.types.includes(f.type)) info.types.push(f.type);
      }
      if (truncated) {
        info.findings++;
        if (!info.types.includes(UNSCANNED_TYPE)) info.types.push(UNSCANNED_TYPE);
      }
    }
    if (merged !== undefined && action === 'drop') return undefined;
    if (truncated && tailPolicy === 'drop') return undefined;
    let out = '';
    let pos = 0;
    const edits = times === undefined ? (merged ?? []) : withTimes(merged ?? [], times);
    for (const f of edits) {
      out += text.slice(pos, f.start) + ('type' in f ? replacement(text, f) : f.text);
      pos = f.end;
    }
    out += text.slice(pos);
    if (truncated) out += maskFor(UNSCANNED_TYPE);
    return out;
  };

  /** See `DetectorScanner.redactTransformed`. */
  const redactTransformed = (raw: string, transformed: string): string | undefined => {
    let out = run(transformed, undefined);
    // Dropped: nothing of the raw value is exported or counted. The clean-value cache is not asked for `raw`: a raw
    // value is never stored there by this path, and at 100 000 users asking meant hashing every new URL and statement
    // for a miss.
    if (out === undefined || raw === transformed || raw.length < minLength) return out;
    const rawCut = raw.length > maxScanLength ? cutPoint(raw, maxScanLength) : raw.length;
    const text = raw.slice(0, rawCut);
    const merged = collectPrefix(raw, rawCut);
    if (merged === undefined) return out;
    if (out === undefined) return undefined;
    // Whether `out` holds a digit, read once and again only after a finding changed it (a hash or a mask may hold one).
    let digits = -1;
    for (let m = 0; m < merged.length; m++) {
      const f = merged[m];
      const secret = text.slice(f.start, f.end);
      let hit = false;
      let local: string;
      if (out.indexOf(secret) !== -1) {
        out = out.split(secret).join(action === 'hash' ? options.hash!(secret) : maskFor(f.type));
        hit = true;
      } else if (f.type === 'email' && (local = localBeforeSeparator(secret)) !== '' && out.indexOf(local) !== -1) {
        // A local part ending with a URL separator (`jane.doe/@example.com`, `jane?=@…`): a log body's URL rules read
        // what follows it as a path segment or query value and rewrite it (`jane.doe/{id}`); the local part left is masked.
        out = out.split(local).join(action === 'hash' ? options.hash!(secret) : maskFor(f.type));
        hit = true;
      } else if (f.type === 'private-key') {
        // A key the transform rewrote in places (a log body's URL rules turn its `/`-separated words into `{id}`)
        // cannot be mapped piece by piece: any word left over is key material. The whole value is masked instead.
        out = action === 'hash' ? options.hash!(raw) : maskFor(f.type);
        hit = true;
      } else if (digits === 1 || (digits === -1 && (digits = holdsDigit(out) ? 1 : 0) === 1)) {
        // Without a digit in `out` no word and no leftover of the finding can be in it (`holdsDigit`).
        const replaced = replaceWords(out, secret, action === 'hash' ? undefined : maskFor(f.type), options.hash);
        if (replaced !== undefined) {
          out = replaced;
          hit = true;
        } else if (hasLeftover(out, secret)) {
          // The rewrite split it into short words (a log body's URL rules turn `1111/0` of a grouped card into
          // `{id}/{id}`, leaving `4111 1111 1111`): they cannot be told from other words, so the value is masked whole.
          out = action === 'hash' ? options.hash!(raw) : maskFor(f.type);
          hit = true;
        }
      }
      if (!hit) continue;
      digits = -1;
      findings[f.type] = (findings[f.type] ?? 0) + 1;
      tally.total++;
      if (log !== undefined) log.push(f.type);
      if (action === 'drop') return undefined;
    }
    return out;
  };

  // Detectors that can match a bare decimal number: cards, national ids, phones (with a phone
  // keyword in the key), custom patterns. Fewer digits than the shortest of them: never scanned.
  const numberDigits = Math.min(
    ...builtIns.filter((d) => NUMBER_DETECTORS.has(d.name)).map((d) => d.minDigits ?? 1),
    custom.length > 0 ? 1 : Infinity,
  );
  const numberFloor = numberDigits === Infinity ? Infinity : Math.max(1e6, 10 ** (numberDigits - 1));

  return {
    detectors: detectors.map((d) => d.name),
    findings,
    numberFloor,
    findingTypes(value: string): readonly string[] | undefined {
      if (value.length < minLength) return undefined;
      const truncated = value.length > maxScanLength;
      const merged = truncated ? collectPrefix(value, cutPoint(value, maxScanLength)) : collect(value);
      if (merged === undefined && !truncated) return undefined;
      const types = (merged ?? []).map((f) => f.type);
      if (truncated) types.push(UNSCANNED_TYPE);
      return types;
    },
    redactTransformed,
    redact: (value) => run(value, undefined),
    scan(value: string): ScanResult {
      if (value.length < minLength) return { value, findings: 0, dropped: false, types: NO_TYPES };
      const info = { findings: 0, types: [] as string[] };
      const out = run(value, info);
      if (info.findings === 0) return { value, findings: 0, dropped: false, types: NO_TYPES };
      if (out === undefined) return { value: '', findings: info.findings, dropped: true, types: info.types };
      return { value: out, findings: info.findings, dropped: false, types: info.types };
    },
  };
}
