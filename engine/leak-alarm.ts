import { privacyDiag } from './diagnostic-text';

/** The leak alarm's settings (`alarms.leak`, compiled). */
export interface LeakAlarmSettings {
  /** Length of one window, in milliseconds: rates are findings per window. */
  readonly windowMillis: number;
  /** A tracked key alarms when its findings in the current window reach `factor` times those of the previous one. */
  readonly factor: number;
  /** Fewest findings in one window before anything alarms (a single stray finding never does). */
  readonly minCount: number;
  /** Most (signal, key, detector) triples tracked; later ones are counted under the key `(other)`. */
  readonly maxTrackedKeys: number;
}

/** The key label of findings beyond `maxTrackedKeys` (aggregated per signal and detector). */
export const OTHER_KEYS = '(other)';

/** The key label of a key that itself holds a finding (the key is personal data: never printed). */
export const KEY_WITH_FINDING = '(key holding a finding)';

/** Keys longer than this are tracked (and labelled) as `(long key)`: bounds the memory of one entry. */
export const MAX_KEY_LENGTH = 128;

// eslint-disable-next-line no-control-regex -- control characters in a key are replaced before it is printed
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const CONTROL_ALL = new RegExp(CONTROL.source, 'g');

/** One suspected leak so far: where, and how many times it alarmed. */
export interface LeakSuspicion {
  /** `traces`, `metrics`, `logs`, `resource`, or `text` (names, bodies, baggage, tracestate). */
  readonly signal: string;
  /** The attribute key (dotted for map entries), or one of the fixed labels (`(other)`, …). */
  readonly key: string;
  /** The detector (or custom pattern) name. */
  readonly detector: string;
  /** Alarms raised for this triple. */
  readonly count: number;
}

/** Tracking state of one (signal, key, detector) triple. */
interface Track {
  readonly signal: string;
  readonly key: string;
  readonly detector: string;
  /** Start of the current window (ms). */
  windowStart: number;
  /** Findings in the current window. */
  current: number;
  /** Findings in the window before it (0 when that window had none or is long gone). */
  previous: number;
  /** True from an alarm until a window ends below `minCount` (one alarm per episode). */
  latched: boolean;
  /** Alarms raised. */
  alarms: number;
}

/**
 * Watches value-detector findings per (signal, key, detector) and raises one alarm when a key starts producing
 * findings it did not have (after the first window from the first finding, which only learns), or when its findings in one window reach
 * `factor` times those of the window before (and at least `minCount`). An alarm is one WARN line naming signal, key
 * and detector, never a value, and a count in {@link LeakAlarm.suspicions} (`otel_privacy.leak_suspected`).
 *
 * Windows are tumbling per triple (the current one and the one before it are kept): two integers and a timestamp
 * per triple. Memory is bounded: at most `maxTrackedKeys` triples plus one `(other)` triple per (signal, detector)
 * for the rest (counted in `overflowed`); every entry is a few numbers and a key of at most 128 characters. Work
 * happens only per finding (findings are rare): the engine pays nothing for clean values.
 */
export class LeakAlarm {
  /** Findings that arrived after `maxTrackedKeys` triples were tracked (aggregated under `(other)`). */
  overflowed = 0;
  /** Every track, in the order first seen. */
  private readonly tracks: Track[] = [];
  /** signal → key → detector → track. */
  private readonly bySignal = new Map<string, Map<string, Map<string, Track>>>();
  /** When the first finding arrived: the window from there only learns. */
  private started: number | undefined;

  /**
   * @param settings the compiled `alarms.leak` settings (replace them with `configure`)
   * @param warn where the WARN line goes (default `diag.warn` with the `otel-privacy: ` prefix)
   * @param now the clock, in milliseconds
   */
  constructor(
    private settings: LeakAlarmSettings,
    private readonly warn: (line: string) => void = (line) => privacyDiag.warn(`otel-privacy: ${line}`),
    private readonly now: () => number = Date.now,
  ) {}

  /** New settings (hot reload): what was learnt so far is kept. */
  configure(settings: LeakAlarmSettings): void {
    this.settings = settings;
  }

  /** Number of triples tracked (at most `maxTrackedKeys` plus the `(other)` ones). */
  get tracked(): number {
    return this.tracks.length;
  }

  /** Records one finding of `detector` in a value under `key` of `signal`. */
  record(signal: string, key: string, detector: string): void {
    const now = this.now();
    const s = this.settings;
    if (this.started === undefined) this.started = now;
    // signal → key → detector: no string is built per finding, and the key is only checked when first seen.
    let byKey = this.bySignal.get(signal);
    if (byKey === undefined) this.bySignal.set(signal, (byKey = new Map()));
    const byDetector = byKey.get(key);
    let t = byDetector?.get(detector);
    if (t === undefined) t = this.newTrack(byKey, byDetector, signal, key, detector, now);
    const elapsed = now - t.windowStart;
    if (elapsed >= s.windowMillis) {
      // Tumble: the current window becomes the previous one (or nothing, when a whole window passed without findings).
      if (t.current < s.minCount) t.latched = false;
      t.previous = elapsed < 2 * s.windowMillis ? t.current : 0;
      t.current = 0;
      t.windowStart = now - (elapsed % s.windowMillis);
    }
    t.current++;
    if (t.latched || t.current < s.minCount) return;
    // Learning: the first window after the first finding is the baseline (a process starting up sends every key it
    // has at once); keys that start producing findings after it are new.
    if (now - this.started < s.windowMillis) return;
    if (t.previous === 0 || t.current >= s.factor * t.previous) this.raise(t);
  }

  /** The track of a triple seen for the first time: its own while under the bound, else the `(other)` one. */
  private newTrack(
    byKey: Map<string, Map<string, Track>>,
    byDetector: Map<string, Track> | undefined,
    signal: string,
    key: string,
    detector: string,
    now: number,
  ): Track {
    let label = key;
    if (this.tracks.length >= this.settings.maxTrackedKeys) {
      this.overflowed++;
      label = OTHER_KEYS;
    } else if (key.length > MAX_KEY_LENGTH) label = '(long key)';
    else if (CONTROL.test(key)) label = key.replace(CONTROL_ALL, '?');
    if (label !== key) {
      // Tracked under its label (shared by every key with that label); the raw key is not remembered.
      let labelled = byKey.get(label);
      if (labelled === undefined) byKey.set(label, (labelled = new Map()));
      let t = labelled.get(detector);
      if (t === undefined) {
        labelled.set(detector, (t = this.track(signal, label, detector, now)));
        this.tracks.push(t);
      }
      return t;
    }
    if (byDetector === undefined) byKey.set(key, (byDetector = new Map()));
    const t = this.track(signal, key, detector, now);
    byDetector.set(detector, t);
    this.tracks.push(t);
    return t;
  }

  /** Every triple that alarmed, with its count. */
  suspicions(): LeakSuspicion[] {
    const out: LeakSuspicion[] = [];
    for (const t of this.tracks)
      if (t.alarms > 0) out.push({ signal: t.signal, key: t.key, detector: t.detector, count: t.alarms });
    return out;
  }

  private track(signal: string, key: string, detector: string, now: number): Track {
    return { signal, key, detector, windowStart: now, current: 0, previous: 0, latched: false, alarms: 0 };
  }

  private raise(t: Track): void {
    t.latched = true;
    t.alarms++;
    const was = t.previous === 0 ? 'none' : String(t.previous);
    this.warn(
      `WARN leak suspected: signal=${t.signal} key=${t.key} detector=${t.detector} ` +
        `(${t.current} findings in this window of ${this.settings.windowMillis} ms, ${was} in the one before)`,
    );
  }
}
