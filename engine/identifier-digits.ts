/**
 * Significant decimal digits in a row (leading zeros of the run not counted) from which digits inside a word that is
 * no number (a hex field, an identifier, a document key) read as a number that can identify a person: nine is an SSN,
 * ten or eleven a phone number, 13 to 19 a card number. Shorter runs (years, dates of eight digits, counters, ports)
 * stay.
 */
export const IDENTIFIER_DIGITS = 9;

/**
 * The index of the digit that completes the first run of {@link IDENTIFIER_DIGITS} significant decimal digits in
 * `text` from `from` up to `to` (exclusive), or -1 when there is none. Linear, no allocation.
 */
export function identifierDigitsEnd(text: string, from = 0, to = text.length): number {
  let significant = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) significant = 0;
    else if ((significant > 0 || c !== 48) && ++significant === IDENTIFIER_DIGITS) return i;
  }
  return -1;
}

/**
 * Where the significant digits of the first run of {@link IDENTIFIER_DIGITS} or more in `text` start (the index of the
 * run's first digit that is no leading zero), or -1 when there is none.
 */
export function identifierDigitsStart(text: string, from = 0, to = text.length): number {
  const end = identifierDigitsEnd(text, from, to);
  return end === -1 ? -1 : end - IDENTIFIER_DIGITS + 1;
}

/** Whether `text` (from `from` up to `to`) holds a run of {@link IDENTIFIER_DIGITS} significant decimal digits. */
export function hasIdentifierDigits(text: string, from = 0, to = text.length): boolean {
  return identifierDigitsEnd(text, from, to) !== -1;
}
