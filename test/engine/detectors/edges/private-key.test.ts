import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { privateKeyDetector } from '../../../../engine/detectors/private-key';
import type { Finding } from '../../../../engine/detectors/types';
import { defaultPipeline, edgeScanners } from './secret-edges-helpers';

// `private-key` (engine/detectors/private-key.ts, docs/detectors.md): every PEM label of a private key (and public
// keys and certificates left alone), escaped line breaks, a block cut before its END line; each DER start of a bare
// key body at 40 base64 characters and one fewer, across line breaks; PuTTY files in any case.

const scan = edgeScanners(['private-key']);
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const b64 = (n: number) => fc.string({ unit: fc.constantFrom(...B64), minLength: n, maxLength: n });

const LABELS = [
  'PRIVATE KEY',
  'RSA PRIVATE KEY',
  'EC PRIVATE KEY',
  'DSA PRIVATE KEY',
  'OPENSSH PRIVATE KEY',
  'ENCRYPTED PRIVATE KEY',
  'PGP PRIVATE KEY BLOCK',
  'A B C PRIVATE KEY',
];
const BARE = [
  'MIIEowIBAAKCAQEA',
  'MIIJKAIBAAKCAgEA',
  'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC',
  'MHcCAQEEI',
  'MIGkAgEBBD',
  'MIHcAgEBBE',
  'MIGHAgEAMBMGByqGSM49AgEG',
  'MIG2AgEAMBAGByqGSM49AgEG',
  'MC4CAQAwBQYDK2VwBCIEI',
  'MC4CAQAwBQYDK2VuBCIEI',
  'MEcCAQAwBQYDK2VxBDsEO',
];

describe('private-key: PEM blocks', () => {
  it('every private-key label, with real or escaped line breaks, and cut before its END line', () => {
    fc.assert(
      fc.property(fc.constantFrom(...LABELS), b64(64), fc.constantFrom('\n', '\r\n', '\\n'), (label, body, nl) => {
        const block = `-----BEGIN ${label}-----${nl}${body}${nl}-----END ${label}-----`;
        for (const s of scan.scanners)
          expect(s.scan(`key: ${block} done`).value).toBe('key: [REDACTED:private-key] done');
        scan.found(`key: -----BEGIN ${label}-----${nl}${body.slice(0, 20)}`, body.slice(0, 20));
      }),
      { numRuns: 40 },
    );
  });

  it('public keys, certificates and four words before PRIVATE KEY are no private key', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          'PUBLIC KEY',
          'RSA PUBLIC KEY',
          'CERTIFICATE',
          'A B C D PRIVATE KEY',
          'rsa PRIVATE KEY',
          'PRIVATE KEYS',
        ),
        b64(64),
        (label, body) => {
          scan.kept(`-----BEGIN ${label}-----\n${body}\n-----END ${label}-----`);
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe('private-key: bare DER bodies', () => {
  it('each DER start with 40 base64 characters from it is a key; 39 are not; glued to base64 on the left it is not', () => {
    fc.assert(
      fc.property(fc.constantFrom(...BARE), b64(60), fc.constantFrom(...'aZ9+/'), (start, rest, glue) => {
        const at40 = (start + rest).slice(0, 40);
        const at39 = at40.slice(0, 39);
        scan.found(`TLS_KEY=${at40}`, at40);
        scan.found(`TLS_KEY=${at40} next`, at40);
        scan.kept(`TLS_KEY=${at39} next`);
        scan.kept(`TLS_KEY=${glue}${at40} next`);
      }),
      { numRuns: 60 },
    );
  });

  it('a body wrapped in lines (LF, CRLF, escaped \\n) is masked through its last line', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...BARE),
        b64(64),
        b64(40),
        fc.constantFrom('\n', '\r\n', '\\n', '\\r\\n'),
        (start, l1, l2, nl) => {
          const line1 = (start + l1).slice(0, 64);
          for (const s of scan.scanners)
            expect(s.scan(`k=${line1}${nl}${l2}${nl}-- end`).value).toBe(`k=[REDACTED:private-key]${nl}-- end`);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('private-key: findings in text order (the `Detector.find` contract: ascending `start`)', () => {
  it('bare bodies before, between and after PEM blocks and PuTTY files come out in the order they are written', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.tuple(fc.constantFrom(...BARE), b64(60)).map(([start, rest]) => (start + rest).slice(0, 48)),
            fc
              .tuple(fc.constantFrom(...LABELS), b64(48))
              .map(([l, b]) => `-----BEGIN ${l}-----\n${b}\n-----END ${l}-----`),
            b64(40).map((b) => `PuTTY-User-Key-File-3: ssh-ed25519\nPrivate-Lines: 1\n${b}\nPrivate-MAC: 0a1b`),
          ),
          { minLength: 2, maxLength: 5 },
        ),
        (keys) => {
          const text = keys.join(' ; ');
          const out: Finding[] = [];
          privateKeyDetector.find(text, out);
          expect(out.length, JSON.stringify(text)).toBe(keys.length);
          let at = 0;
          keys.forEach((k, i) => {
            const start = text.indexOf(k, at);
            expect(out[i]!.start, JSON.stringify(text)).toBe(start);
            at = start + k.length;
          });
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('private-key: PuTTY key files', () => {
  it('from the first line through the MAC line, in any case; without Private-Lines to the end of the value', () => {
    fc.assert(
      fc.property(
        b64(40),
        fc.constantFrom('PuTTY-User-Key-File-2', 'PuTTY-User-Key-File-3', 'putty-user-key-file-3'),
        (body, head) => {
          const file = `${head}: ssh-ed25519\nPublic-Lines: 1\nAAAA\nPrivate-Lines: 1\n${body}\nPrivate-MAC: 0a1b2c`;
          for (const s of scan.scanners) {
            expect(s.scan(`${file}\nafter`).value).toBe('[REDACTED:private-key]\nafter');
            expect(s.scan(`x ${head}: ssh-rsa\nEncryption: none`).value).toBe('x [REDACTED:private-key]');
          }
        },
      ),
      { numRuns: 20 },
    );
  });
});

describe('private-key through real SDK providers with the default policy', () => {
  const pipeline = defaultPipeline();
  it('no bare key body at 40 characters is exported from a log body', () => {
    fc.assert(
      fc.property(fc.constantFrom(...BARE), b64(60), (start, rest) => {
        const key = (start + rest).slice(0, 40);
        expect(pipeline.exported(`env TLS_KEY=${key} loaded`)).not.toContain(key.slice(start.length));
      }),
      { numRuns: 30 },
    );
  });
});
