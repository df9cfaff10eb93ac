import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPolicy } from '../../policy/load-policy';

// Documentation tests: every fenced code block in README.md and docs/**/*.md runs against the built package (npm test
// builds it first) on the dev install (OpenTelemetry JS 3.x), unless its info string ends with "fragment". Per file,
// in order, in one temporary folder inside the repository (so `otel-privacy` resolves to the package itself):
//   - yaml blocks are policies, loaded with loadPolicy (keys may be absent: they are set by the shell blocks);
//   - a block whose info string names a file (```yaml privacy.yaml, ```js app.mjs) is also written to that file;
//   - js/mjs/ts blocks without a file name run as modules (ts through tsx);
//   - sh blocks run together, in order, as one bash script (set -e), with `otel-privacy` (and `npx otel-privacy`,
//     `node dist/cli.js`) being the built CLI, `npm run build` skipped, and `examples/` the repository's examples.
const root = resolve(__dirname, '../..');
const cli = join(root, 'dist', 'cli.js');
// inside the package (not under node_modules), so `otel-privacy` resolves to the package itself
const work = join(root, '.doc-tests');

interface Block {
  readonly lang: string;
  readonly file: string | undefined;
  readonly fragment: boolean;
  readonly line: number;
  readonly text: string;
}

/** The fenced code blocks of a Markdown file. */
export function codeBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const fence = open[2]!;
    const info = open[3]!.trim();
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !lines[j]!.trimStart().startsWith(fence)) body.push(lines[j++]!);
    const words = info.split(/\s+/).filter(Boolean);
    const fragment = words.at(-1) === 'fragment';
    blocks.push({
      lang: (words[0] ?? '').toLowerCase(),
      file: !fragment && words[1] !== undefined ? words[1] : undefined,
      fragment,
      line: i + 1,
      text: `${body.join('\n')}\n`,
    });
    i = j;
  }
  return blocks;
}

function markdownFiles(): string[] {
  const out = [join(root, 'README.md')];
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.md')) out.push(path);
    }
  };
  walk(join(root, 'docs'));
  return out;
}

const SHELL = new Set(['sh', 'bash', 'shell', 'console']);
const MODULE = new Set(['js', 'mjs', 'javascript', 'ts', 'typescript', 'cjs']);
const LANGS = new Set([...SHELL, ...MODULE, 'yaml', 'yml', 'json', 'text']);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('fenced code blocks are marked "fragment" or use a language the doc tests run', () => {
  for (const file of markdownFiles()) {
    it(relative(root, file), () => {
      const unknown = codeBlocks(readFileSync(file, 'utf8'))
        .filter((b) => !b.fragment && !LANGS.has(b.lang))
        .map((b) => `line ${b.line}: ${JSON.stringify(b.lang)}`);
      expect(unknown).toEqual([]);
    });
  }
});

describe('documentation code blocks run as written', () => {
  for (const file of markdownFiles()) {
    const blocks = codeBlocks(readFileSync(file, 'utf8')).filter((b) => !b.fragment);
    if (blocks.length === 0) continue;
    it(`${relative(root, file)} (${blocks.length} block(s))`, { timeout: 120_000 }, () => {
      expect(existsSync(cli), 'the package is built (npx tsup)').toBe(true);
      mkdirSync(work, { recursive: true });
      const dir = mkdtempSync(join(work, `${relative(root, file).replace(/[/.]/g, '-')}-`));
      cpSync(join(root, 'examples'), join(dir, 'examples'), { recursive: true });
      const bin = join(dir, '.bin');
      mkdirSync(bin);
      writeFileSync(join(bin, 'otel-privacy'), `#!/bin/sh\nexec "${process.execPath}" "${cli}" "$@"\n`);
      chmodSync(join(bin, 'otel-privacy'), 0o755);
      const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${bin}:${process.env.PATH}` };
      for (const name of Object.keys(env)) if (name.startsWith('OTEL_')) delete env[name];

      const script: string[] = ['set -e', "trap 'kill $(jobs -p) 2>/dev/null || true' EXIT"];
      blocks.forEach((block, n) => {
        const where = `${relative(root, file)}:${block.line}`;
        if (block.file) writeFileSync(join(dir, block.file), block.text);
        if (block.lang === 'yaml' || block.lang === 'yml') {
          const path = block.file ? join(dir, block.file) : join(dir, `block-${n}.yaml`);
          if (!block.file) writeFileSync(path, block.text);
          expect(() => loadPolicy(path, { ignoreMissingKeys: true }), where).not.toThrow();
        } else if (block.lang === 'json' || block.lang === 'text') {
          if (block.lang === 'json') expect(() => JSON.parse(block.text), where).not.toThrow();
        } else if (MODULE.has(block.lang) && !block.file) {
          const ts = block.lang === 'ts' || block.lang === 'typescript';
          const name = `block-${n}.${ts ? 'mts' : block.lang === 'cjs' ? 'cjs' : 'mjs'}`;
          writeFileSync(join(dir, name), block.text);
          const r = spawnSync(process.execPath, [...(ts ? ['--import', 'tsx'] : []), name], {
            cwd: dir,
            env,
            encoding: 'utf8',
            timeout: 60_000,
          });
          expect(r.status, `${where}\n${r.stdout}\n${r.stderr}`).toBe(0);
        } else if (SHELL.has(block.lang)) {
          // the package is already built (and building here would race other tests over dist/)
          const text = block.text
            .replace(/^npm run build\b.*$/gm, '')
            .replace(/\bnpx otel-privacy\b|\bnode dist\/cli\.js\b/g, 'otel-privacy');
          script.push(`# ${where}`, text);
        }
      });
      if (script.length > 2) {
        writeFileSync(join(dir, 'blocks.sh'), `${script.join('\n')}\n`);
        const r = spawnSync('bash', ['blocks.sh'], { cwd: dir, env, encoding: 'utf8', timeout: 100_000 });
        expect(r.status, `${relative(root, file)} shell blocks\n${r.stdout}\n${r.stderr}`).toBe(0);
        if (file.endsWith('README.md')) {
          // the quick start's last step decrypts what the receiver got: the e-mail address, and only there
          expect(r.stdout.split('\n')).toContain('jane.doe@example.com');
          const received = readFileSync(join(dir, 'received.jsonl'), 'utf8');
          expect(received).toContain('app.cart.size');
          expect(received).not.toContain('jane.doe@example.com');
          expect(received).not.toContain('555 0143');
        }
      }
    });
  }
});
