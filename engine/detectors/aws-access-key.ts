import { codeAt, isAlnum } from './chars';
import type { Detector, Finding } from './types';

/** Key id prefixes (IAM user/role/STS/… resource ids that are credentials). */
const KEY_ID = /\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)[A-Z0-9]{16}\b/g;

/** `aws_secret_access_key = …`, `SecretAccessKey: …`, `AWS_SECRET_ACCESS_KEY=…` and similar. */
const SECRET_KEY = /secret[_-]?access[_-]?key["']?\s{0,3}[:=]\s{0,3}["']?/gi;

/** Number of distinct code units in `text[start, end)` (short ranges only). */
function distinctChars(text: string, start: number, end: number): number {
  let seen = '';
  for (let i = start; i < end; i++) if (seen.indexOf(text[i]) === -1) seen += text[i];
  return seen.length;
}

function isSecretChar(c: number): boolean {
  return isAlnum(c) || c === 43 || c === 47;
}

/**
 * `aws-access-key`: AWS access key ids (`AKIA…`, `ASIA…` and the other credential prefixes, 20
 * upper-case alphanumerics) and 40-character secret access keys that follow a
 * `secret_access_key`/`SecretAccessKey` label. Bare 40-character base64 strings are not matched
 * (they are indistinguishable from digests).
 */
export const awsAccessKeyDetector: Detector = {
  name: 'aws-access-key',
  trigger: /A(?:KIA|SIA|BIA|CCA|GPA|IDA|ROA|IPA|NPA|NVA|PKA)|secret.?access/i,
  mayMatch: (text) => awsAccessKeyDetector.trigger.test(text),
  find(text: string, out: Finding[]): void {
    const found: Finding[] = [];
    const ids = new RegExp(KEY_ID.source, KEY_ID.flags);
    let m: RegExpExecArray | null;
    while ((m = ids.exec(text)) !== null) {
      // Placeholders (`AKIAXXXXXXXXXXXXXXXX`, `AKIA0000000000000000`) are no keys.
      if (distinctChars(text, m.index + 4, m.index + 20) < 4) continue;
      found.push({ start: m.index, end: m.index + 20, type: 'aws-access-key' });
    }
    const secrets = new RegExp(SECRET_KEY.source, SECRET_KEY.flags);
    while ((m = secrets.exec(text)) !== null) {
      const start = m.index + m[0].length;
      let end = start;
      while (end < text.length && end - start <= 40 && isSecretChar(text.charCodeAt(end))) end++;
      if (end - start === 40 && !isSecretChar(codeAt(text, end))) {
        found.push({ start, end, type: 'aws-access-key' });
        secrets.lastIndex = end;
      }
    }
    if (found.length > 1) found.sort((a, b) => a.start - b.start);
    for (const f of found) out.push(f);
  },
};
