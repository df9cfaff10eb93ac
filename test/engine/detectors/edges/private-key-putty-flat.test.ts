import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultPipeline, edgeScanners } from './secret-edges-helpers';

// `private-key` (engine/detectors/private-key.ts, docs/detectors.md): a PuTTY key file (`.ppk`) whose lines were
// joined by blanks (a log line, a table cell, an environment variable written on one line). The `Private-Lines: N`
// count says how many base64 lines follow: the file is masked from its first line through its MAC (the whole MAC), and
// through its N private lines when the MAC is cut off; a word after them stays.

const scan = edgeScanners(['private-key']);
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const HEX = '0123456789abcdef';
const run = (alphabet: string, min: number, max = min) =>
  fc.string({ unit: fc.constantFrom(...alphabet), minLength: min, maxLength: max });

/** N base64 lines of 64 characters, the last one shorter. */
const lines = (min: number, max: number) =>
  fc
    .tuple(fc.array(run(B64, 64), { minLength: min - 1, maxLength: max - 1 }), run(B64, 8, 64))
    .map(([full, last]) => [...full, last]);

/** The lines of a `.ppk` file (versions 2 and 3, unencrypted or with Argon2 key derivation), and its private lines. */
const ppk = fc
  .record({
    version: fc.constantFrom('2', '3'),
    type: fc.constantFrom('ssh-ed25519', 'ssh-rsa', 'ecdsa-sha2-nistp256'),
    encrypted: fc.boolean(),
    comment: fc.constantFrom('jane@example.com', 'imported-openssh-key', 'deploy key'),
    pub: lines(1, 6),
    priv: lines(1, 4),
    salt: run(HEX, 32),
    mac: run(HEX, 64),
    head: fc.constantFrom('PuTTY-User-Key-File-', 'putty-user-key-file-'),
  })
  .map((k) => {
    const out = [`${k.head}${k.version}: ${k.type}`, `Encryption: ${k.encrypted ? 'aes256-cbc' : 'none'}`];
    out.push(`Comment: ${k.comment}`, `Public-Lines: ${k.pub.length}`, ...k.pub);
    if (k.encrypted && k.version === '3')
      out.push('Key-Derivation: Argon2id', 'Argon2-Memory: 8192', 'Argon2-Passes: 21', `Argon2-Salt: ${k.salt}`);
    out.push(`Private-Lines: ${k.priv.length}`, ...k.priv);
    return { lines: out, priv: k.priv, mac: `Private-MAC: ${k.version === '2' ? k.mac.slice(0, 40) : k.mac}` };
  });

/** How the lines were joined, and where the one-line file is written. */
const join = fc.constantFrom(' ', '  ', '\t');
/**
 * Other joiners of a file's lines: HTML line breaks, a list's `, ` or `;`, Markdown's hard break (two blanks and a
 * line break), a table's ` | `, a shell's ` \ `, escaped and real line breaks.
 */
const joiner = fc.constantFrom(
  '<br>',
  '<br/>',
  '<BR />',
  ', ',
  ',',
  ';',
  '; ',
  '  \n',
  '  \r\n',
  ' | ',
  ' \\ ',
  '\\n',
  '\\r\\n',
  '\n',
  '\u2028',
);
const WRITINGS: readonly ((f: string) => string)[] = [
  (f) => f,
  (f) => `loaded key ${f} ok`,
  (f) => `PPK_KEY=${f}; next`,
  (f) => `{"key":"${f}","level":"info"}`,
];

describe('private-key: a PuTTY key file flattened onto one line', () => {
  it('is masked from its first line through its whole MAC', () => {
    fc.assert(
      fc.property(ppk, join, fc.constantFrom(...WRITINGS), (k, j, write) => {
        scan.marked(write(`«${[...k.lines, k.mac].join(j)}»`));
      }),
      { numRuns: 120 },
    );
  });

  it('with its MAC cut off, through its N private lines; the words after them stay', () => {
    fc.assert(
      fc.property(ppk, fc.constantFrom('done', 'then the log ended', 'AAAA more'), (k, after) => {
        scan.marked(`«${k.lines.join(' ')}» ${after}`);
      }),
      { numRuns: 80 },
    );
  });

  it('with its lines joined by <br>, `, `, `;`, `  \\n` and others: through its whole MAC, or its N private lines', () => {
    fc.assert(
      fc.property(ppk, joiner, fc.constantFrom(...WRITINGS), (k, j, write) => {
        scan.marked(write(`«${[...k.lines, k.mac].join(j)}»`));
      }),
      { numRuns: 150 },
    );
    fc.assert(
      fc.property(ppk, joiner, fc.constantFrom('done', 'then the log ended', 'AAAA more'), (k, j, after) => {
        scan.marked(`«${k.lines.join(j)}» ${after}`);
      }),
      { numRuns: 80 },
    );
  });

  it('a MAC on its own line is masked whole too', () => {
    fc.assert(
      fc.property(ppk, (k) => scan.marked(`«${[...k.lines, k.mac].join('\n')}»\nafter`)),
      { numRuns: 40 },
    );
  });
});

describe('a PuTTY key file without its Private-Lines line', () => {
  it('a header alone, or named in prose, is no key file', () => {
    for (const head of ['PuTTY-User-Key-File-2', 'PuTTY-User-Key-File-3', 'putty-user-key-file-3'])
      for (const text of [
        `${head}: ssh-rsa`,
        `${head}: ssh-ed25519 (private part removed)`,
        `loaded ${head} header`,
        `unsupported format: ${head}: ecdsa-sha2-nistp256`,
        `{"format":"${head}","type":"ssh-ed25519"}`,
      ])
        scan.kept(text);
  });

  it('a file cut off before its private lines is masked to its end, through its MAC when one follows', () => {
    fc.assert(
      fc.property(ppk, fc.integer({ min: 1, max: 3 }), (k, cut) => {
        const head = k.lines.slice(
          0,
          Math.max(2, k.lines.indexOf(k.lines.find((l) => /^Private-Lines/.test(l))!) - cut),
        );
        scan.marked(`key «${head.join('\n')}»`);
        scan.marked(`key «${head.join(' ')} ${k.mac}» done`);
      }),
      { numRuns: 60 },
    );
  });
});

describe('a flattened PuTTY key through real SDK providers with the default policy', () => {
  const pipeline = defaultPipeline();
  it('no private line is exported from a log body', () => {
    fc.assert(
      fc.property(ppk, fc.oneof(join, joiner), (k, j) => {
        const out = pipeline.exported(`loaded key ${[...k.lines, k.mac].join(j)} ok`);
        for (const line of k.priv) expect(out).not.toContain(line.slice(0, 24));
      }),
      { numRuns: 30 },
    );
  });
});
