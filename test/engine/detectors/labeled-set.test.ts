import { afterAll, describe, expect, it } from 'vitest';
import { createValueScanner } from '../../../engine/detectors/value-scanner';
import { defaultPolicy } from '../../../index';
import { privacyPipelines } from '../../assurance/helpers/outside-attack';
import { labeledSet } from './testdata/labeled-set';

// The independent labeled set (testdata/labeled-set.ts): realistic telemetry text per family, scored with the default
// policy's value scanner (every detector, mask). What the scanner does on each sample is asserted exactly in
// exact-corpora.test.ts (every positive found and its secret gone, every negative unchanged, but the listed
// exceptions); this file prints the per-family counts (the table in docs/detectors.md) and checks the export path.

const samples = labeledSet();

interface Tally {
  samples: number;
  hits: number; // positives found, or negatives with a finding
}

function tallyByFamily(): Map<string, Tally> {
  const scanner = createValueScanner({
    detectors: 'all',
    action: 'mask',
    mask: '[REDACTED:{type}]',
    cleanCacheSize: 0,
  });
  const byFamily = new Map<string, Tally>();
  for (const s of samples) {
    const t = byFamily.get(s.family) ?? { samples: 0, hits: 0 };
    byFamily.set(s.family, t);
    t.samples++;
    const r = scanner.scan(s.text);
    const hit = s.positive ? r.findings > 0 && !r.value.includes(s.secret!) : r.findings > 0;
    if (hit) t.hits++;
  }
  return byFamily;
}

describe('independent labeled set', () => {
  const byFamily = tallyByFamily();

  it('has at least 600 positives and 600 negatives in 48 and 18 families, and prints the count found per family', () => {
    expect(samples.filter((s) => s.positive).length).toBeGreaterThanOrEqual(600);
    expect(samples.filter((s) => !s.positive).length).toBeGreaterThanOrEqual(600);
    const families = [...byFamily.keys()];
    expect(families.filter((f) => !f.startsWith('neg/')).length).toBe(48);
    expect(families.filter((f) => f.startsWith('neg/')).length).toBe(18);
    const rows: string[] = [];
    for (const [family, t] of [...byFamily].sort(([a], [b]) => a.localeCompare(b)))
      rows.push(
        `${family.padEnd(34)} ${family.startsWith('neg/') ? 'false positives' : 'found'} ${t.hits} / ${t.samples}`,
      );
    console.log(rows.join('\n'));
  });
});

describe('independent labeled set through a real SDK provider (default policy)', () => {
  const savedKey = process.env.OTEL_PRIVACY_HMAC_KEY;
  process.env.OTEL_PRIVACY_HMAC_KEY = `base64:${Buffer.alloc(32, 0x4d).toString('base64')}`; // fake test key
  const { loggerProvider, exportedJson } = privacyPipelines(defaultPolicy());
  afterAll(() => {
    if (savedKey === undefined) delete process.env.OTEL_PRIVACY_HMAC_KEY;
    else process.env.OTEL_PRIVACY_HMAC_KEY = savedKey;
  });

  it('exports no positive the scanner finds, as a log body (every third sample of each family)', () => {
    const scanner = createValueScanner({
      detectors: 'all',
      action: 'mask',
      mask: '[REDACTED:{type}]',
      cleanCacheSize: 0,
    });
    const logger = loggerProvider.getLogger('labeled-set');
    const seen = new Map<string, number>();
    const leaked: string[] = [];
    let checked = 0;
    for (const s of samples) {
      if (!s.positive) continue;
      const k = (seen.get(s.family) ?? 0) + 1;
      seen.set(s.family, k);
      if (k % 3 !== 1) continue;
      const r = scanner.scan(s.text);
      if (r.findings === 0 || r.value.includes(s.secret!)) continue;
      logger.emit({ body: s.text });
      const json = exportedJson();
      checked++;
      if (json.includes(JSON.stringify(s.secret).slice(1, -1))) leaked.push(`${s.family}: ${s.text}`);
    }
    expect(checked).toBeGreaterThan(200);
    expect(leaked).toEqual([]);
  });
});
