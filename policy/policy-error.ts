import { keyNameForError } from '../engine/crypto/key-material';
import { diagnosticText } from '../engine/diagnostic-text';

/** One problem found in a policy: where it is and what is wrong. */
export interface PolicyIssue {
  /** The policy file's base name, when the policy came from a file. */
  readonly file?: string;
  /** 1-based line in that file, when known. */
  readonly line?: number;
  /** The path inside the document, e.g. `attributes.hash[2]`. */
  readonly path: string;
  /** What is wrong, e.g. `expected a string`. */
  readonly message: string;
}

/**
 * Formats a document path the way errors print it: `attributes.hash[2]`, `attributes.generalize["client.address"]`.
 * A key that is key material or holds a value-scanner finding is not shown: `keys.hmac[<key not shown: looks like key material>]`.
 */
export function formatPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of segments) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else {
      const s = String(seg);
      const shown = keyNameForError(s);
      if (shown !== s) out += `[${shown}]`;
      else out += /^[A-Za-z_][A-Za-z0-9_-]*$/.test(s) ? (out === '' ? s : `.${s}`) : `[${JSON.stringify(s)}]`;
    }
  }
  return out === '' ? '(root)' : out;
}

/** Formats one issue on one line: `privacy.yaml:14 attributes.hash[2]: expected a string`. */
export function formatIssue(issue: PolicyIssue): string {
  const where = issue.file ? `${issue.file}${issue.line ? `:${issue.line}` : ''} ` : '';
  return `${where}${issue.path}: ${issue.message}`;
}

/**
 * A policy that cannot be used. The message is one line naming the file, line and path of the first
 * problem; `issues` lists all of them. Messages quote the policy (a glob, a pattern) only through
 * `diagnosticText`: a personal value or a secret written into the policy is masked, here, in the audit log
 * and on the command line.
 */
export class PolicyError extends Error {
  /** Every problem found, first one first. */
  readonly issues: readonly PolicyIssue[];

  /**
   * @param issues every problem found, first one first
   * @param options `cause`: the error that made the first issue (a file that cannot be read or used), kept as is
   */
  constructor(issues: readonly PolicyIssue[], options?: { readonly cause?: unknown }) {
    const shown = issues.map((issue) => ({ ...issue, message: diagnosticText(issue.message) }));
    const first = shown[0] ?? { path: '(root)', message: 'invalid policy' };
    const more = shown.length > 1 ? ` (and ${shown.length - 1} more)` : '';
    super(`${formatIssue(first)}${more}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PolicyError';
    this.issues = shown;
  }
}
