import type { Detector, Finding } from './types';

const BEGIN = '-----BEGIN ';
const MAX_LABEL = 48;

/**
 * `private-key`: PEM private key blocks (`-----BEGIN [RSA |EC |DSA |OPENSSH |ENCRYPTED ]PRIVATE KEY-----`,
 * `PGP PRIVATE KEY BLOCK`, PuTTY is not PEM and not matched) through the matching `-----END …-----`
 * line, also with escaped newlines (`\n` in JSON). A block without its END line (truncated values)
 * is matched to the end of the text (fail closed). Certificates and public keys are not matched.
 */
export const privateKeyDetector: Detector = {
  name: 'private-key',
  trigger: /-----BEGIN /,
  mayMatch: (text) => text.indexOf(BEGIN) !== -1,
  find(text: string, out: Finding[]): void {
    let from = 0;
    for (;;) {
      const at = text.indexOf(BEGIN, from);
      if (at === -1) return;
      const labelStart = at + BEGIN.length;
      const labelEnd = text.indexOf('-----', labelStart);
      from = labelStart;
      if (labelEnd === -1) return;
      if (labelEnd - labelStart > MAX_LABEL) continue;
      const label = text.slice(labelStart, labelEnd);
      if (!/^(?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?$/.test(label)) continue;
      // The first END line closes the block (whatever its label); none: mask to the end (fail closed).
      const close = text.indexOf('-----END ', labelEnd + 5);
      const stop = close === -1 ? -1 : text.indexOf('-----', close + 9);
      const end = stop === -1 ? text.length : stop + 5;
      out.push({ start: at, end, type: 'private-key' });
      if (end === text.length) return;
      from = end;
    }
  },
};
