import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import type { VerifiedManifest } from './policy-signature';

/** The `format` of a serial state file. */
const STATE_FORMAT = 'otel-privacy.policy-state.v1';

const stateSchema = z.strictObject({
  format: z.literal(STATE_FORMAT),
  policies: z.record(
    z.string(),
    z.strictObject({
      serial: z.number().int().min(1),
      manifest: z.string().regex(/^[0-9a-f]{64}$/),
      acceptedAt: z.string(),
    }),
  ),
});

type State = z.infer<typeof stateSchema>;
type Accepted = State['policies'][string];

/** The highest serial accepted in this process, per policy identity (the manifest's name). */
const acceptedInProcess = new Map<string, Accepted>();

/** The serial state file's content, or an empty state when it does not exist yet. */
function readState(file: string): State {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { format: STATE_FORMAT, policies: {} };
    throw new Error(
      `cannot read the policy state file ${file} (${(err as NodeJS.ErrnoException).code ?? 'unreadable'})`,
      { cause: err },
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  const parsed = stateSchema.safeParse(value);
  if (!parsed.success)
    throw new Error(
      `the policy state file ${file} is not one otel-privacy wrote (refusing rather than forgetting the serials it holds; remove it only if you trust the policy in place)`,
    );
  return parsed.data;
}

function refusal(verified: VerifiedManifest, seen: Accepted, where: string): string | undefined {
  const { name, serial } = verified.manifest;
  if (serial < seen.serial)
    return `policy ${JSON.stringify(name)} serial ${serial} is older than serial ${seen.serial} already accepted ${where} (rollback refused; sign the policy again with a higher serial)`;
  if (serial === seen.serial && verified.digest !== seen.manifest)
    return `policy ${JSON.stringify(name)} serial ${serial} was already accepted ${where} with another manifest (every signing needs a new serial)`;
  return undefined;
}

/**
 * Refuses a manifest whose serial is below the highest one accepted for its identity, in this process and, with
 * `stateFile`, in earlier processes too (the same serial is accepted only for the very same manifest).
 * @throws Error with one line naming the identity and both serials.
 */
export function checkSerial(verified: VerifiedManifest, stateFile?: string): void {
  const name = verified.manifest.name;
  const inProcess = acceptedInProcess.get(name);
  const here = inProcess && refusal(verified, inProcess, 'in this process');
  if (here) throw new Error(here);
  if (stateFile === undefined) return;
  const stored = readState(stateFile).policies[name];
  const before = stored && refusal(verified, stored, `before (state file ${stateFile})`);
  if (before) throw new Error(before);
}

/**
 * Records an accepted manifest as the high-water mark of its identity: in this process, and in `stateFile` (written
 * atomically: a temporary file renamed over it; a higher serial recorded there meanwhile is kept).
 * @throws Error with one line when the state file cannot be written.
 */
export function recordSerial(verified: VerifiedManifest, stateFile?: string): void {
  const { name, serial } = verified.manifest;
  const entry: Accepted = { serial, manifest: verified.digest, acceptedAt: new Date().toISOString() };
  const inProcess = acceptedInProcess.get(name);
  const remember = () => {
    if (inProcess === undefined || inProcess.serial < serial) acceptedInProcess.set(name, entry);
  };
  if (stateFile === undefined) return remember();
  const state = readState(stateFile);
  const stored = state.policies[name];
  if (stored !== undefined && stored.serial >= serial) return remember();
  state.policies[name] = entry;
  // An unguessable name, created exclusively: a symlink planted beside the state file is never written through.
  const temporary = join(
    dirname(stateFile),
    `.${basename(stateFile)}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`,
  );
  try {
    writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    renameSync(temporary, stateFile);
  } catch (err) {
    rmSync(temporary, { force: true });
    throw new Error(
      `cannot write the policy state file ${stateFile} (${(err as NodeJS.ErrnoException).code ?? 'unwritable'}); the policy is refused rather than run without its rollback mark`,
      { cause: err },
    );
  }
  remember();
}
