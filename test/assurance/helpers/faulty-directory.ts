import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A directory that can be made read-only or full, and back, for spool fault tests. */
export interface FaultyDirectory {
  /** The directory (give a subfolder of it to the spool). */
  readonly dir: string;
  /** How the fault is produced, for test names and logs. */
  readonly how: string;
  /** Makes the fault happen. */
  break(): void;
  /** Removes the fault. */
  repair(): void;
  /** Removes the fault and everything created. */
  cleanup(): void;
}

const isRoot = process.getuid?.() === 0;

function run(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Mounts a small tmpfs at `dir` (root only); false when mounting is not possible here. */
function mountTmpfs(dir: string, size: string): boolean {
  return isRoot && run('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', dir]);
}

/**
 * A read-only directory. As root (where permission bits do not apply) a 1 MiB tmpfs remounted read-only (EROFS);
 * otherwise permission bits 0500 (EACCES).
 */
export function readOnlyDirectory(base: string): FaultyDirectory {
  const dir = join(base, 'ro');
  mkdirSync(dir, { recursive: true });
  if (mountTmpfs(dir, '1m')) {
    return {
      dir,
      how: 'tmpfs remounted read-only (EROFS)',
      break: () => void execFileSync('mount', ['-o', 'remount,ro', dir]),
      repair: () => void execFileSync('mount', ['-o', 'remount,rw', dir]),
      cleanup: () => {
        run('umount', [dir]);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  return {
    dir,
    how: 'permission bits 0500 (EACCES)',
    break: () => chmodSync(dir, 0o500),
    repair: () => chmodSync(dir, 0o700),
    cleanup: () => {
      chmodSync(dir, 0o700);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A full file system: a 256 KiB tmpfs filled to the last byte (ENOSPC). Needs root to mount; undefined otherwise (an
 * unprivileged process has no honest way to fill a real file system here).
 */
export function fullDirectory(base: string): FaultyDirectory | undefined {
  const dir = join(base, 'full');
  mkdirSync(dir, { recursive: true });
  if (!mountTmpfs(dir, '256k')) {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  const filler = join(dir, 'filler');
  return {
    dir,
    how: '256 KiB tmpfs filled up (ENOSPC)',
    break: () => {
      // fill in shrinking chunks until not even one byte fits
      for (let chunk = 64 * 1024; chunk >= 1; chunk = Math.floor(chunk / 2)) {
        for (;;) {
          try {
            writeFileSync(filler, Buffer.alloc(chunk), { flag: 'a' });
          } catch {
            break;
          }
        }
      }
    },
    repair: () => rmSync(filler, { force: true }),
    cleanup: () => {
      run('umount', [dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
