import { afterAll, describe, expect, it } from 'vitest';
import { createValueScanner } from '../../../engine/detectors/value-scanner';
import { defaultPolicy } from '../../../index';
import { privacyPipelines } from '../../assurance/helpers/outside-attack';
import { labeledSet } from './testdata/labeled-set';
import type { LabeledSample } from './testdata/labeled-set';

// The independent labeled set (testdata/labeled-set.ts): realistic telemetry text per family, scored with the default
// policy's value scanner (every detector, mask). The floors are the counts measured when the set was written or a
// detector last improved: a positive family's floor is how many of its samples must be found (scanner reports a
// finding and the sensitive text is gone), a negative family's ceiling how many may have any finding. A regression in
// any family fails; an improvement should raise its floor here and the table in docs/detectors.md.

/** Positives found, per family (at least). */
const RECALL_FLOORS: Record<string, number> = {
  'auth/api-key-header': 15,
  'auth/basic': 15,
  'auth/bearer-opaque': 15,
  'aws/access-key-id': 12,
  'aws/secret-key': 12,
  'azure/sas-url': 12,
  'azure/storage-connection-string': 12,
  'card/amex': 10,
  'card/diners': 10,
  'card/discover': 10,
  'card/jcb': 10,
  'card/maestro': 9,
  'card/mastercard': 10,
  'card/unionpay': 10,
  'card/visa': 9,
  'conn/kv-password': 15,
  'conn/password-field': 15,
  'conn/url-password': 15,
  'email/header': 12,
  'email/idn-punycode': 12,
  'email/plain': 12,
  'email/plus-tag': 12,
  'email/quoted-local': 8,
  'email/subdomain': 12,
  'email/upper': 12,
  'gcp/api-key': 12,
  'gcp/oauth-access-token': 12,
  'gcp/oauth-client-secret': 12,
  'github/token': 12,
  'iban/electronic': 30,
  'iban/grouped': 30,
  'ipv4/forwarded': 15,
  'ipv4/log': 15,
  'ipv4/with-port': 15,
  'ipv6/address': 30,
  'jwt/token': 25,
  'phone/e164': 78,
  'phone/extension': 26,
  'phone/international-spaced': 78,
  'phone/national': 78,
  'phone/tel-uri': 26,
  'private-key/pem': 15,
  'slack/token': 12,
  'slack/webhook-url': 12,
  'ssn/dashed': 15,
  'ssn/labeled-plain': 15,
  'stripe/secret-key': 12,
  'stripe/webhook-secret': 12,
};

/** Negatives with any finding, per family (at most). */
const FALSE_POSITIVE_CEILINGS: Record<string, number> = {
  'neg/base64-nonsecret': 7,
  'neg/business-ids': 0,
  'neg/coordinates': 0,
  'neg/durations-sizes': 0,
  'neg/error-codes': 0,
  'neg/git-sha': 0,
  'neg/k8s-container': 0,
  'neg/mac-hex': 0,
  'neg/metrics': 0,
  'neg/money-percent': 0,
  'neg/paths-frames': 0,
  'neg/ports-hosts': 0,
  'neg/prose-lookalikes': 0,
  'neg/semver': 0,
  'neg/timestamps': 0,
  'neg/trace-ids': 0,
  'neg/user-agents': 0,
  'neg/uuid': 0,
};

const samples = labeledSet();

interface Tally {
  samples: number;
  hits: number; // positives found, or negatives with a finding
  sdkHits: number; // positives whose sensitive text is not in the SDK's export
  misses: LabeledSample[];
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
    const t = byFamily.get(s.family) ?? { samples: 0, hits: 0, sdkHits: 0, misses: [] };
    byFamily.set(s.family, t);
    t.samples++;
    const r = scanner.scan(s.text);
    const hit = s.positive ? r.findings > 0 && !r.value.includes(s.secret!) : r.findings > 0;
    if (hit) t.hits++;
    if (hit === !s.positive) t.misses.push(s);
  }
  return byFamily;
}

describe('independent labeled set', () => {
  const byFamily = tallyByFamily();

  it('has at least 600 positives and 600 negatives, every family with a floor', () => {
    expect(samples.filter((s) => s.positive).length).toBeGreaterThanOrEqual(600);
    expect(samples.filter((s) => !s.positive).length).toBeGreaterThanOrEqual(600);
    expect([...byFamily.keys()].sort()).toEqual(
      [...Object.keys(RECALL_FLOORS), ...Object.keys(FALSE_POSITIVE_CEILINGS)].sort(),
    );
  });

  it('keeps every family at or above its recall floor and at or below its false-positive ceiling', () => {
    const rows: string[] = [];
    const failures: string[] = [];
    for (const [family, t] of [...byFamily].sort(([a], [b]) => a.localeCompare(b))) {
      const positive = family in RECALL_FLOORS;
      rows.push(`${family.padEnd(34)} ${positive ? 'found' : 'false positives'} ${t.hits} / ${t.samples}`);
      if (positive ? t.hits < RECALL_FLOORS[family]! : t.hits > FALSE_POSITIVE_CEILINGS[family]!)
        failures.push(`${family}: ${t.hits} / ${t.samples}, e.g. ${JSON.stringify(t.misses[0]?.text)}`);
    }
    const pos = [...byFamily].filter(([f]) => f in RECALL_FLOORS).map(([, t]) => t);
    const neg = [...byFamily].filter(([f]) => f in FALSE_POSITIVE_CEILINGS).map(([, t]) => t);
    const tp = pos.reduce((a, t) => a + t.hits, 0);
    const p = pos.reduce((a, t) => a + t.samples, 0);
    const fp = neg.reduce((a, t) => a + t.hits, 0);
    rows.push(`recall ${tp} / ${p}, false positives ${fp} / ${neg.reduce((a, t) => a + t.samples, 0)}`);
    console.log(rows.join('\n'));
    expect(failures).toEqual([]);
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
