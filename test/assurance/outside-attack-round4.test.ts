import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { outsideAttack } from './helpers/outside-attack';

// Fourth outside attack round (default policy, real SDK 3.x providers, OTLP/JSON as an exporter sends it).

const attack = outsideAttack();

/**
 * What is exported for `value` sent as a log body and its `error.type`, and with `spans` also as a span's name and its
 * `peer.service` and `error.type` (all kept by the default policy).
 */
function sent(value: string, spans: boolean): Promise<string> {
  return attack.exported(() => {
    attack.loggerProvider.getLogger('attack').emit({ body: value, attributes: { 'error.type': value } });
    if (spans)
      attack.tracerProvider
        .getTracer('attack')
        .startSpan(value, { attributes: { 'peer.service': value, 'error.type': value } })
        .end();
  });
}

/** A public-looking IPv4 address: first octet 100-223 but 127 (so no version rule applies), last not 0 or 255. */
const address = fc
  .tuple(fc.integer({ min: 100, max: 223 }), fc.nat(255), fc.nat(255), fc.integer({ min: 1, max: 254 }))
  .filter(([a]) => a !== 127)
  .map((o) => o.join('.'));

describe('an IPv4 address after a hyphen (property)', () => {
  // `svc-203.0.113.7`, `from host-203.0.113.7 ok`, `-203.0.113.7`: the dotted-quad reader took any `-` before the
  // first octet as glue (a number run going on), so a host or service name with a hyphen before the address
  // exported it as written.
  it('is not exported from a log body, a kept attribute or a span name', async () => {
    await fc.assert(
      fc.asyncProperty(
        address,
        fc.constantFrom('', 'connect ', 'peer=', 'upstream "'),
        fc.oneof(fc.constant(''), fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/)),
        fc.constantFrom('', ' ok', ':443', '"', '-svc'),
        async (ip, before, word, after) => {
          const value = `${before}${word}-${ip}${after}`;
          const out = await sent(value, true);
          expect(out).not.toContain(ip);
        },
      ),
      { numRuns: 60 },
    );
  });
});

/** A fictional North American number's digits: area code 2xx-9xx (second digit 0-8), exchange 555, line 0100-0199. */
const northAmerican = fc
  .tuple(fc.integer({ min: 2, max: 9 }), fc.integer({ min: 0, max: 8 }), fc.nat(9), fc.integer({ min: 100, max: 199 }))
  .map(([a, b, c, line]) => ({ area: `${a}${b}${c}`, line: String(line).padStart(4, '0') }));

/** The layouts a North American number is written in. */
const layouts = [
  (n: { area: string; line: string }) => `(${n.area}) 555-${n.line}`,
  (n: { area: string; line: string }) => `(${n.area})555-${n.line}`,
  (n: { area: string; line: string }) => `${n.area}-555-${n.line}`,
  (n: { area: string; line: string }) => `${n.area}.555.${n.line}`,
  (n: { area: string; line: string }) => `${n.area} 555 ${n.line}`,
  (n: { area: string; line: string }) => `${n.area}555${n.line}`,
];

/** Fails when the exchange and line of a number (`555` and `line`) are exported in any layout. */
function expectNoNumber(out: string, line: string): void {
  for (const sep of ['', '-', '.', ' ']) expect(out).not.toContain(`555${sep}${line}`);
}

describe('a phone number after a phone word and `#` (property)', () => {
  // `phone #202-555-0143`, `Phone#2025550143`, `cell # (202) 555-0143`: a number glued after `#` is read as an id
  // (`#12345678`) unless a short label (`ph#`, `tel#`, `mob#`) ends at the `#`; "phone #" is the everyday label.
  it('is not exported from a log body or a kept attribute', async () => {
    await fc.assert(
      fc.asyncProperty(
        northAmerican,
        fc.nat(layouts.length - 1),
        fc.constantFrom('phone', 'Phone', 'PHONE', 'cell', 'Mobile', 'fax', 'telephone', 'contact', 'Tel'),
        fc.constantFrom('#', ' #', '# ', ' # '),
        fc.constantFrom('', 'updated ', 'new '),
        async (n, layout, word, hash, before) => {
          const number = layouts[layout]!(n);
          const value = `${before}${word}${hash}${number}`;
          const out = await sent(value, false);
          expectNoNumber(out, n.line);
        },
      ),
      { numRuns: 80 },
    );
  });
});

describe('a bracketed area code after `@`, `#`, `$`, `%`, `&` or `\\` (property)', () => {
  // `reach me @(202) 555-0143`, `#(202)555-0143`: those characters glue a number to an id, a handle, a price or a
  // percentage (`#2025550143`, `@2025550143`, `$2025550143`), but none of those starts with a bracket.
  it('is not exported from a log body or a kept attribute', async () => {
    await fc.assert(
      fc.asyncProperty(
        northAmerican,
        fc.constantFrom('@', '#', '$', '%', '&', '\\'),
        fc.constantFrom('', ' '),
        fc.constantFrom('', 'reach me ', 'x'),
        async (n, glue, gap, before) => {
          const value = `${before}${glue}(${n.area})${gap}555-${n.line}`;
          const out = await sent(value, false);
          expect(out).not.toContain(`555-${n.line}`);
        },
      ),
      { numRuns: 60 },
    );
  });
});

/** A fictional address: a dotted local part and a subdomain of example.com/org/net. */
const address4 = fc
  .tuple(
    fc.stringMatching(/^[a-z]{2,8}$/),
    fc.stringMatching(/^[a-z]{2,8}$/),
    fc.constantFrom('example.com', 'mail.example.org', 'example.net'),
  )
  .map(([a, b, domain]) => ({ local: `${a}.${b}`, domain }));

describe('an e-mail address written as a mention, after an `@` (property)', () => {
  // `ping @jane.doe@example.com`, `cc:@jane.doe@example.com`: an address whose local part follows an `@` was skipped
  // as the tail of `a@b@c` (an address after another one), also when nothing stood before that `@`.
  it('is not exported from a log body, a kept attribute or a span name', async () => {
    await fc.assert(
      fc.asyncProperty(
        address4,
        fc.constantFrom('', 'ping ', 'cc:', 'to=', '(', 'w!', '"', 'thanks, '),
        fc.constantFrom('', ' ok', ')', '"', ','),
        async ({ local, domain }, before, after) => {
          const value = `${before}@${local}@${domain}${after}`;
          const out = await sent(value, true);
          expect(out).not.toContain(`${local}@${domain}`);
          expect(out).not.toContain(`${local}@`);
        },
      ),
      { numRuns: 60 },
    );
  });
});

/** A documentation IPv6 address (2001:db8::/32) with a random interface part, `::`-compressed. */
const ipv6 = fc
  .tuple(fc.integer({ min: 1, max: 0xffff }), fc.integer({ min: 1, max: 0xffff }))
  .map(([a, b]) => `2001:db8::${a.toString(16)}:${b.toString(16)}`);

describe('an IPv6 address between `_` and a word (property)', () => {
  // `peer=2001:db8::7_eth0`, `addr_2001:db8::7`, `x_2001:db8::7_y`: `_` after the address hid it (a word character),
  // and before it the address was read from its first colon on (`addr_2001:[REDACTED:ipv6]`); `_` joins words, not
  // the groups of an address (the IPv4 reader already treats it so: `backup_203.0.113.7_db`).
  it('is not exported from a log body or a kept attribute', async () => {
    await fc.assert(
      fc.asyncProperty(
        ipv6,
        fc.constantFrom('', 'addr_', 'peer=', 'x_'),
        fc.constantFrom('_eth0', '_y', '_1', ''),
        async (ip, before, after) => {
          fc.pre(before.endsWith('_') || after.startsWith('_'));
          const value = `${before}${ip}${after}`;
          const out = await sent(value, false);
          expect(out).not.toContain(ip.slice(5));
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('a phone number after a label closed by `:`, `)` or `]` (property)', () => {
  // `Phone:-202-555-0143`, `[cell]-202-555-0143`, `(mobile)202-555-0143`, `(cell)(202) 555-0143`: a `-` after a
  // label's punctuation, or the label's closing bracket glued to the number, was read as part of the number, which
  // then had no phone layout.
  it('is not exported from a log body or a kept attribute', async () => {
    await fc.assert(
      fc.asyncProperty(
        northAmerican,
        fc.nat(layouts.length - 2),
        fc.constantFrom('Phone:', 'Contact No:', '[cell]', '(mobile)', '(cell)', 'tel.:', 'Mobile:'),
        fc.constantFrom('-', ''),
        async (n, layout, label, dash) => {
          const number = layouts[layout]!(n);
          const value = `${label}${dash}${number}`;
          const out = await sent(value, false);
          expectNoNumber(out, n.line);
        },
      ),
      { numRuns: 80 },
    );
  });
});
