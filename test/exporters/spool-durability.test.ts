import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import type * as fsPromises from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EncryptedSpool } from '../../exporters/encrypted-spool';
import { spoolKeyId } from '../../exporters/spool-key';
import { CapturingLogger } from '../helpers/capturing-logger';

/**
 * What the spool does to the file system, in order: the real `node:fs/promises` runs underneath, each call on the
 * way is logged (`open`, `write`, `fsync` and `close` of a handle name the file or directory it was opened on).
 */
const ops: string[] = [];
const named = (path: string) => (basename(path).endsWith('.tmp') ? 'temp' : basename(path));

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof fsPromises>();
  const wrap = (handle: FileHandle, name: string): FileHandle =>
    new Proxy(handle, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target) as unknown;
        if (typeof value !== 'function') return value;
        const op = prop === 'writeFile' ? 'write' : prop === 'sync' ? 'fsync' : String(prop);
        return async (...args: unknown[]) => {
          const result = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          ops.push(`${op}(${name})`);
          return result;
        };
      },
    });
  const open = async (...args: Parameters<typeof real.open>) => {
    const handle = await real.open(...args);
    return wrap(handle, String(args[0]) === dir ? 'dir' : named(String(args[0])));
  };
  const rename = async (from: string, to: string) => {
    await real.rename(from, to);
    ops.push(`rename(${named(from)}->${named(to)})`);
  };
  return { ...real, default: { ...real, open, rename }, open, rename };
});

let dir = '';
const key = randomBytes(32);

afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
  ops.length = 0;
});

describe('EncryptedSpool durability', () => {
  it('acknowledges a write only after the file is written and fsynced, renamed into place and the directory fsynced', async () => {
    dir = mkdtempSync(join(tmpdir(), 'otel-privacy-spool-sync-'));
    const spool = new EncryptedSpool(dir, { key, id: spoolKeyId(key) }, 1 << 20, new CapturingLogger());
    const acknowledged = await spool.write('traces', spool.nextSeq(), Buffer.from('fake-otlp-request'));
    ops.push('ack');
    expect(acknowledged).toBe(true);
    const final = readdirSync(dir).filter((f) => f.endsWith('.otsp'));
    expect(final).toHaveLength(1);
    expect(ops).toEqual([
      'write(temp)',
      'fsync(temp)',
      'close(temp)',
      `rename(temp->${final[0]})`,
      'fsync(dir)',
      'close(dir)',
      'ack',
    ]);
  });
});
