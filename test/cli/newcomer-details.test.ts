import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliBinary, root, runCli } from './cli-harness';

// Details a new user meets: validate's line format (as docs/cli.md shows it), a bad glob reported together with
// schema errors, accurate comments in the generated Collector configuration, the example receiver's endpoint, and
// the size of the published tarball.
let bin: string;
let work: string;
beforeAll(async () => {
  bin = await cliBinary();
  work = mkdtempSync(join(tmpdir(), 'otel-privacy-details-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Budget for the published tarball (no source maps): packed and unpacked bytes. */
const TARBALL_BUDGET = { packed: 800_000, unpacked: 3_200_000 };

describe('validate', () => {
  it('reports a bad glob together with the schema errors, each as "file:line: error: path: message"', async () => {
    const path = join(work, 'privacy.yaml');
    writeFileSync(path, 'version: 1\nattributes:\n  allow: ["a[b"]\n  hash: 3\n');
    const r = await runCli(bin, ['validate', path]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^privacy\.yaml:4: error: attributes\.hash: expected an array$/m);
    expect(r.stdout).toMatch(/^privacy\.yaml:3: error: attributes\.allow\[0\]: invalid glob "a\[b"/m);
    expect(r.stdout).toMatch(/^privacy\.yaml: 2 errors, 0 warnings$/m);
  });
});

describe('collector-config', () => {
  it('says NOT EXPRESSED once per comment, and what the Collector does with log bodies', async () => {
    const path = join(work, 'collector.yaml');
    writeFileSync(
      path,
      'version: 1\nkeys:\n  hmac: { id: k1, env: DETAILS_UNSET_KEY }\nattributes:\n  allow: [http.route]\nvalues:\n  detectors: [email]\n  action: hash\nlogs:\n  body: scan\n',
    );
    const r = await runCli(bin, ['collector-config', '--policy', path]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/values\.action: hash: NOT EXPRESSED/);
    expect(r.stdout).not.toMatch(/NOT EXPRESSED.*NOT EXPRESSED/);
    expect(r.stdout).toMatch(/Collector applies blocked_values and the URL\/DB sanitizers to log bodies/);
    expect(r.stdout).not.toMatch(/log bodies are not scanned/);
  });
});

describe('the example receiver', () => {
  it('prints a localhost endpoint (an IP address as TLS server name makes every Node.js client print DEP0123)', async () => {
    const child = spawn(process.execPath, ['examples/receiver/otlp-receiver.mjs', '--port', '0'], { cwd: root });
    const first = await new Promise<string>((done) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) done(out.split('\n')[0]!);
      });
    });
    child.kill('SIGTERM');
    expect(first).toMatch(/^OTLP\/gRPC receiver on https:\/\/localhost:\d+ /);
  });
});

describe('the published tarball', () => {
  it(`carries no source maps and stays within ${TARBALL_BUDGET.packed} bytes packed`, () => {
    const [pack] = JSON.parse(
      execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' }),
    ) as [{ size: number; unpackedSize: number; files: { path: string }[] }];
    const files = pack.files.map((f) => f.path);
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(files).toEqual(
      expect.arrayContaining(['dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/cli.js']),
    );
    expect(pack.size).toBeLessThan(TARBALL_BUDGET.packed);
    expect(pack.unpackedSize).toBeLessThan(TARBALL_BUDGET.unpacked);
  });
});
