import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePolicyText } from './policy-source';
import type { PolicySource } from './policy-source';
import type { PolicyDocument } from './schema';

/** The default policy ships as YAML beside the code (source tree) or in the package's `policy/` folder (built bundle). */
const CANDIDATES = ['./default-policy.yaml', '../policy/default-policy.yaml'];

let cached: { text: string; path: string } | undefined;

function read(): { text: string; path: string } {
  if (cached) return cached;
  for (const candidate of CANDIDATES) {
    const path = fileURLToPath(new URL(candidate, import.meta.url));
    try {
      cached = { text: readFileSync(path, 'utf8'), path };
      return cached;
    } catch {
      // try the next location
    }
  }
  throw new Error('otel-privacy: the packaged default policy (default-policy.yaml) is missing');
}

let parsed: { value: unknown; source: PolicySource } | undefined;

/**
 * The built-in default policy document, a fresh copy (callers may merge into it), with its source
 * for error lines and its folder. The file (generated, a thousand keys) is parsed once per process.
 */
export function defaultPolicyDocument(): { value: PolicyDocument; source: PolicySource; dir: string; path: string } {
  const { text, path } = read();
  parsed ??= parsePolicyText(text, 'default-policy.yaml');
  return { value: structuredClone(parsed.value) as PolicyDocument, source: parsed.source, dir: dirname(path), path };
}
