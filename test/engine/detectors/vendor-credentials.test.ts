import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createValueScanner } from '../../../engine/detectors/value-scanner';

// Vendor credentials the independent labeled set (testdata/labeled-set.ts) found exported raw: each written the ways
// telemetry carries it (a log line, JSON, a query string, a SQL literal, a header, after prose), through fast-check's
// transformations of the token's alphabet, length and surroundings; the scanner with and without its pre-filter.

const scanners = [true, false].map((prefilter) =>
  createValueScanner({ detectors: 'all', action: 'mask', mask: '[REDACTED:{type}]', cleanCacheSize: 0, prefilter }),
);

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const chars = (alphabet: string, minLength: number, maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...alphabet), minLength, maxLength });

/** The places a credential is written in telemetry. */
const context = fc.constantFrom(
  (v: string) => v,
  (v: string) => `request failed: ${v}`,
  (v: string) => `{"level":"error","detail":"${v}","svc":"notify"}`,
  (v: string) => `GET /hook?target=${encodeURIComponent(v)}&retry=2`,
  (v: string) => `UPDATE integrations SET url = '${v}' WHERE id = 42`,
  (v: string) => `config loaded ${v}, reloading in 30s`,
  (v: string) => `[${v}]`,
  (v: string) => `value=${v};next=1`,
);

/** Every scanner masks `secret` out of `text` and reports `type`. */
function masked(text: string, secret: string, type: string): void {
  for (const s of scanners) {
    const r = s.scan(text);
    expect(r.value, text).not.toContain(secret);
    expect(r.types, text).toContain(type);
  }
}

/** No scanner finds anything in `text`. */
function clean(text: string): void {
  for (const s of scanners) expect(s.scan(text).findings, text).toBe(0);
}

describe('api-token: Slack incoming-webhook URLs', () => {
  it('masks the path of hooks.slack.com/services/T…/B…/secret, the host stays readable', () => {
    fc.assert(
      fc.property(
        chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 8, 11),
        chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 8, 11),
        chars(ALNUM, 24, 24),
        fc.constantFrom('https://', 'http://', ''),
        context,
        (team, channel, secret, scheme, ctx) => {
          const url = `${scheme}hooks.slack.com/services/T${team}/B${channel}/${secret}`;
          const text = ctx(url);
          masked(text, secret, 'api-token');
          expect(scanners[0]!.scan(text).value).toContain('hooks.slack.com');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('leaves other Slack and hooks URLs alone', () => {
    clean('POST https://hooks.slack.com/services/ 404');
    clean('GET https://example.slack.com/services/apps 200');
    clean('https://hooks.example.com/services/T0001/B0001/abc');
  });
});

describe('api-token: Google OAuth access tokens and client secrets', () => {
  it('masks ya29.… access tokens and GOCSPX-… client secrets wherever they are written', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          chars(ALNUM + '-_', 40, 200).map((b) => `ya29.${b}`),
          chars(ALNUM + '-_', 28, 28).map((b) => `GOCSPX-${b}`),
        ),
        context,
        (token, ctx) => masked(ctx(token), token, 'api-token'),
      ),
      { numRuns: 300 },
    );
  });

  it('leaves short tails and words that end in the prefix alone', () => {
    clean('ya29.5 ms');
    clean('host ya29.example.com');
    clean('maya29.abcdefghijklmnopqrstuvwxyz');
    clean('GOCSPX-abc');
    clean('status GOCSPX-rotation-pending');
  });
});

describe('api-token: Stripe webhook signing secrets', () => {
  it('masks whsec_… wherever it is written', () => {
    fc.assert(
      fc.property(chars(ALNUM, 32, 64), context, (body, ctx) => masked(ctx(`whsec_${body}`), body, 'api-token')),
      { numRuns: 300 },
    );
  });

  it('leaves a short tail alone', () => {
    clean('whsec_test');
    clean('config key stripe.whsec_rotation_days=30');
  });
});

describe('labeled-secret: Azure storage account keys in connection strings', () => {
  it('masks the AccountKey of a connection string in any naming style', () => {
    fc.assert(
      fc.property(
        chars(ALNUM + '+/', 86, 86),
        fc.constantFrom('AccountKey', 'accountKey', 'account_key', 'ACCOUNT_KEY', 'storageAccountKey'),
        fc.constantFrom('=', ': ', '":"'),
        context,
        (body, label, assign, ctx) => {
          const key = `${body}==`;
          const text = ctx(
            `DefaultEndpointsProtocol=https;AccountName=examplestore;${label}${assign}${key};EndpointSuffix=core.windows.net`,
          );
          masked(text, body, 'labeled-secret');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('leaves words after the label and other key names alone', () => {
    clean('AccountKey=required');
    clean('accountKeys: 2 rotated');
    clean('AccountName=examplestore;EndpointSuffix=core.windows.net');
  });
});

describe('labeled-secret: URL signatures (Azure SAS sig=, X-Amz-Signature=, Signature=)', () => {
  it('masks the signature parameter of a signed URL written in a log line', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          chars(ALNUM + '+/', 43, 43).map((b) => [`sig=${encodeURIComponent(b + '=')}`, b.slice(0, 20)] as const),
          chars('0123456789abcdef', 64, 64).map((b) => [`X-Amz-Signature=${b}`, b] as const),
          chars(ALNUM + '-_~', 40, 120).map((b) => [`Signature=${b}_9`, b] as const),
        ),
        fc.constantFrom('https://examplestore.blob.core.windows.net/backups/db.bak', 'https://bucket.s3.example.com/k'),
        context,
        ([param, secret], url, ctx) => masked(ctx(`${url}?sv=2022-11-02&sp=r&${param}`), secret, 'labeled-secret'),
      ),
      { numRuns: 300 },
    );
  });

  it('leaves other sig and signature words alone', () => {
    clean('signal=SIGTERM received');
    clean('design=compact&assign=team-a');
    clean('signature: valid');
    clean('sig=short');
  });
});

describe('api-token: Shopify access tokens', () => {
  it('masks shpat_, shpss_, shpca_ and shppa_ with 32 hex digits of either case', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('shpat_', 'shpss_', 'shpca_', 'shppa_'),
        chars('0123456789abcdef', 32, 32),
        fc.boolean(),
        context,
        (prefix, hex, upper, ctx) => {
          const secret = upper ? hex.toUpperCase() : hex;
          masked(ctx(`${prefix}${secret}`), secret, 'api-token');
        },
      ),
      { numRuns: 200 },
    );
  });
});
