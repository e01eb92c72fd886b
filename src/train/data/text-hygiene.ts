/**
 * Control characters in data: which separate words, which carry nothing, and how
 * text from a data file is made safe to show on a terminal.
 */

/**
 * Characters that separate words although tokenizers treat them as control characters and
 * delete them, gluing their neighbours into one word: vertical tab, form feed, the information
 * separators U+001C–U+001F (Python's str.split splits on them), NEL (U+0085, a Latin-1 file's
 * line end) and the Unicode line and paragraph separators.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const SEPARATORS = /[\v\f\u001c-\u001f\u0085\u2028\u2029]/g;

/** C0 controls other than tab, LF, CR and the separators above; DEL; C1 controls other than NEL. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROLS = /[\u0000-\u0008\u000e-\u001b\u007f-\u0084\u0086-\u009f]/g;

/** Turns word separators into spaces, so no tokenizer deletes them and glues words together. */
export function separatorsToSpaces(text: string): string {
  return text.replace(SEPARATORS, ' ');
}

/** Any character either pattern above may touch: most fields hold none, and skip both. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const SUSPECT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/;

/** A data field with separators made spaces and other control characters dropped. */
export function cleanField(text: string): { text: string; dropped: number } {
  if (!SUSPECT.test(text)) return { text, dropped: 0 };
  let dropped = 0;
  const cleaned = separatorsToSpaces(text).replace(CONTROLS, () => {
    dropped++;
    return '';
  });
  return { text: cleaned, dropped };
}

/**
 * Control characters (an ANSI escape sequence from a data file could recolour or rewrite the
 * user's terminal) and bidirectional overrides shown as `\u001b`-style escapes; newlines and
 * tabs are kept.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNPRINTABLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
