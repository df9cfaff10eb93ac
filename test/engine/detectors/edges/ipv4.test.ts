import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RUNS, defaultPolicyExport, edges, scannersFor } from './helpers';

// Rule edges of engine/detectors/ipv4.ts against docs/detectors.md (`ipv4` row), with random documentation-range and
// private addresses around each edge.

const ip = edges('ipv4');
/** An address with one octet of 100-254 (no version look), not loopback, 255.… or ending in 0. */
const quad = fc
  .tuple(
    fc.integer({ min: 100, max: 254 }),
    fc.integer({ min: 0, max: 255 }),
    fc.integer({ min: 0, max: 255 }),
    fc.integer({ min: 1, max: 254 }),
  )
  .filter(([a]) => a !== 127)
  .map((o) => o.join('.'));
/** Every octet below 100 (what versions look like). */
const small = fc
  .tuple(
    fc.integer({ min: 10, max: 99 }),
    fc.integer({ min: 0, max: 99 }),
    fc.integer({ min: 0, max: 99 }),
    fc.integer({ min: 1, max: 99 }),
  )
  .map((o) => o.join('.'));

describe('ipv4: dotted quads', () => {
  it('octets 0-255 without leading zeros, or all four zero-padded', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 254 }), (o) => {
        ip.masks('x ', `203.0.${o}.255`, ' y');
        ip.keeps(`x 203.0.${o}.256 y`);
        ip.keeps(`x 203.0.113.0${o % 10} y`);
        ip.masks('x ', `203.000.${String(o).padStart(3, '0')}.007`, ' y');
        ip.keeps(`x 203.000.${o % 10}.007 y`); // padded and short
        ip.keeps(`x 1203.0.113.${o} y`);
      }),
      RUNS,
    );
  });

  it('a fifth part is a port from 256 to 65535 (no leading zero); 255 or less, or a sixth part, is a longer run', () => {
    fc.assert(
      fc.property(quad, fc.integer({ min: 256, max: 65535 }), fc.integer({ min: 0, max: 255 }), (q, port, low) => {
        ip.masks('IP ', q, `.${port} > x`);
        ip.keeps(`IP ${q}.${low} > x`);
        ip.keeps(`IP ${q}.${port}.1 > x`);
        ip.keeps(`IP ${q}.0${port} > x`);
      }),
      RUNS,
    );
    ip.keeps('IP 203.0.113.7.65536 > x');
    ip.keeps('IP 203.0.113.7.255 > x');
    ip.masks('IP ', '203.0.113.7', '.256 > x');
    ip.masks('IP ', '203.0.113.7', '.65535 > x');
  });

  it('left: a letter, a word and a dot, _, a letter and :; a word and -, a value starting with -; glued: a digit, a number and . or : or -', () => {
    fc.assert(
      fc.property(quad, (q) => {
        for (const before of ['', 'x ', 'from', 'hostA', 'app.', 'ip_', 'ip:', '(', '/', '"', 'é ', 'x-', 'svc-', '-'])
          ip.masks(before, q, ' y');
        for (const before of ['1', '1.', '1:', '1-']) ip.keeps(`${before}${q} y`);
      }),
      RUNS,
    );
  });

  it('right: letters, _, non-ASCII, a port, a prefix, a sentence dot; glued: a digit, - and a digit', () => {
    fc.assert(
      fc.property(quad, (q) => {
        for (const after of ['', ' y', 'host', '_x', 'µs', '°', ':8080', '/24', '.', '-x']) ip.masks('x ', q, after);
        for (const after of ['-1', '.1.2', '.1.2.3']) ip.keeps(`x ${q}${after}`);
      }),
      RUNS,
    );
  });

  it('not loopback, 255.…, a network ending in .0; small octets glued right to letters with a one-digit first octet', () => {
    fc.assert(
      fc.property(quad, fc.integer({ min: 0, max: 255 }), (q, o) => {
        ip.keeps(`x 127.0.0.${o} y`);
        ip.keeps(`x 255.255.${o}.0 y`);
        ip.keeps(`x ${q.replace(/\.\d+$/, '.0')} y`);
        ip.keeps('x 0.0.0.0 y');
      }),
      RUNS,
    );
    ip.keeps('x 1.2.3.4beta y');
    ip.masks('x ', '10.1.2.3', 'host');
  });
});

describe('ipv4: ranges', () => {
  // `203.0.113.7-203.0.113.9` (firewall rules, DHCP pools): each address was read as glued to the other's `-` and a
  // digit, and both were exported as written.
  it('two addresses joined by - are both masked', () => {
    const scanners = scannersFor('ipv4');
    fc.assert(
      fc.property(
        quad,
        quad,
        fc.constantFrom(['range ', ' ok'], ['', ''], ['pool=', ','], ['(', ')']),
        (a, b, [x, y]) => {
          for (const s of scanners) expect(s.scan(`${x}${a}-${b}${y}`).value).toBe(`${x}[X:ipv4]-[X:ipv4]${y}`);
        },
      ),
      RUNS,
    );
  });
});

describe('ipv4: versions', () => {
  const WORDS = ['version', 'ver', 'v', 'release', 'build', 'firmware', 'sdk', 'kernel', 'oid', 'lib/'];
  it('each version word before a quad of small octets makes it a version; a larger octet stays an address', () => {
    fc.assert(
      fc.property(fc.constantFrom(...WORDS), small, quad, fc.constantFrom(' ', ': ', '=', ' "'), (w, s, q, gap) => {
        ip.keeps(`${w}${gap}${s} y`);
        ip.masks(`${w}${gap}`, q, ' y');
        ip.masks('x ', s, ' y'); // without the word, an address
      }),
      { numRuns: 60 },
    );
    for (const w of ['xver', 'xv', 'xsdk', 'xoid']) ip.masks(`${w} `, '10.1.2.3', ' y');
  });

  it('the word counts within 24 characters', () => {
    fc.assert(
      fc.property(small, (s) => {
        ip.keeps(`version${' '.repeat(17)}${s} y`);
        ip.masks(`version${' '.repeat(18)}`, s, ' y');
      }),
      RUNS,
    );
  });

  it('glued to a version word, or to letters with a first octet below 10, small octets are a version', () => {
    const GLUED = [
      'v',
      'r',
      'b',
      'p',
      'u',
      'sp',
      'rc',
      'fw',
      'kb',
      'ver',
      'rev',
      'beta',
      'alpha',
      'patch',
      'update',
      'jdk',
      'sdk',
      'jre',
      'api',
      'os',
      'appVersion',
      'release',
      'build',
      'firmware',
      'kernel',
    ];
    fc.assert(
      fc.property(fc.constantFrom(...GLUED), small, quad, (w, s, q) => {
        ip.keeps(`x ${w}${s} y`);
        ip.masks(`x ${w}`, q, ' y');
      }),
      { numRuns: 60 },
    );
    ip.keeps('x python3.11.4.1 y');
    ip.masks('x hostA', '10.1.2.3', ' y');
    ip.masks('x rcx', '10.1.2.3', ' y');
  });
});

describe('ipv4: dashed, underscored, spaced, comma and hexadecimal quads', () => {
  const ADDRESS_WORDS = ['ip', 'ipv4', 'ip4', 'ec2', 'host', 'addr', 'address', 'client', 'peer', 'node-ip'];
  it('a dashed quad with a three-digit octet anywhere; of small octets after an address word, before .domain or alone', () => {
    fc.assert(
      fc.property(quad, small, fc.constantFrom(...ADDRESS_WORDS), fc.constantFrom('-', '_'), (q, s, w, sep) => {
        const d = q.split('.').join(sep);
        const ds = s.split('.').join(sep);
        ip.masks('x ', d, ' y');
        ip.masks(`ec2${sep}`, d, '.compute-1.amazonaws.com');
        ip.masks(`${w}${sep}`, ds, ' y');
        ip.masks('x ', ds, '.sslip.io');
        ip.masks('', ds);
        ip.keeps(`${ds} y`); // at the start but not the whole value
        ip.keeps(`node${sep}${ds} y`);
        ip.keeps(`x${w}x${sep}${ds} y`);
        ip.keeps(`x ${d}${sep}1 y`);
        ip.keeps(`x 1${sep}${d} y`);
        ip.keeps(`x${d} y`);
      }),
      { numRuns: 60 },
    );
    for (const t of ['1-2-3-4', '127-0-0-1', '255-1-2-3', '203-0-113-0', '203-000-113-7', '203-0-113-256']) ip.keeps(t);
  });

  it('blanks around the dots; of small octets only after an address word', () => {
    fc.assert(
      fc.property(quad, small, fc.constantFrom(' . ', '. ', ' .', '  .  '), (q, s, sep) => {
        ip.masks('x ', q.split('.').join(sep), ' y');
        ip.keeps(`x ${s.split('.').join(sep)} y`);
        ip.masks('ip: ', s.split('.').join(sep), ' y');
      }),
      RUNS,
    );
  });

  it('commas after an address word or as the whole value; never lists or thousands', () => {
    fc.assert(
      fc.property(quad, (q) => {
        const c = q
          .replace(/\.\d+$/, '.42')
          .split('.')
          .join(','); // not all later octets of three digits: no thousands
        ip.masks('ip=', c);
        ip.masks('', c);
        ip.masks('client: ', c.split(',').join(', '), ' y');
        ip.keeps(`ip=${q.split('.').slice(0, 1).join('')},100,200,250`);
        ip.keeps(`[${c},5]`);
        ip.keeps(`x=${c}&y`);
      }),
      RUNS,
    );
    ip.keeps('total 3,405,803,783 y');
    ip.keeps('[100,200,250,5]');
    ip.masks('ip=', '203,0,113,100'); // one later octet short: no thousands
    ip.keeps('ip=203,100,113,100');
  });

  it('four 0x parts', () => {
    ip.masks('x ', '0xCB.0x00.0x71.0x07', ' y');
    ip.keeps('x 0xFF.0x00.0x71.0x07 y');
    ip.keeps('x 0xCB.0x00.0x71.0x00 y');
  });
});

describe('ipv4: through real SDK providers with the default policy', () => {
  const exported = defaultPolicyExport();
  it('an address at each edge is not exported; a version is exported as written', async () => {
    await fc.assert(
      fc.asyncProperty(
        quad,
        small,
        fc.constantFrom(['from', ''], ['app.', '.51234'], ['x ', 'host'], ['ip-', '']),
        async (q, s, [before, after]) => {
          const text = before === 'ip-' ? `${before}${q.split('.').join('-')}` : `${before}${q}${after}`;
          expect(await exported(text)).not.toContain(before === 'ip-' ? q.split('.').join('-') : q);
          expect(await exported(`version ${s}`)).toContain(`version ${s}`);
        },
      ),
      { numRuns: 12 },
    );
  });
});
