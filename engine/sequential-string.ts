/**
 * `s` as a sequential string, when `normalize()` gives one with the same text (every Latin-1 string; other text when it
 * is in NFC), else `s` itself: the value is the same, only its representation changes. A flattened concatenation is
 * still a tree node in front of its flat copy, so every `charCodeAt` of a character loop (the URL and statement
 * sanitizers, the home-directory check, the scanner's single pass and detectors) goes through it; the sequential
 * string is read directly. The engine uses it where a URL or statement missed the output cache and is about to be read
 * several times.
 */
export function sequential(s: string): string {
  const n = s.normalize();
  return n === s ? n : s;
}
