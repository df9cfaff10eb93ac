import { redactTextField } from '../../engine/otlp-fields';
import type { OtlpTextFieldId } from '../../engine/otlp-fields';

/** A `.`, `/`, `_` or `-` between a letter and a digit or `+` (`app.203…`, `peer_+1…`, `lib/4111…`). */
const SEGMENT_BEFORE_DIGITS = /(?<=[A-Za-z])[._/-](?=[+\d])/g;

/**
 * `redactTextField` for a name written in dotted segments (instrument and meter names, tracer and logger names,
 * versions): names like `app.203.0.113.7` hide a value from detectors that do not read inside a longer dotted run,
 * so a name without findings is scanned again with a space in place of each separator between a word and a digit
 * run. When that view has a finding, its redacted form is the name; otherwise the name is kept as written.
 */
export function redactDottedName(
  id: OtlpTextFieldId,
  text: string,
  scan: (text: string) => string | undefined,
): string | undefined {
  const out = redactTextField(id, text, scan);
  if (out !== text) return out;
  const view = text.replace(SEGMENT_BEFORE_DIGITS, ' ');
  if (view === text) return out;
  const again = redactTextField(id, view, scan);
  return again === view ? text : again;
}
