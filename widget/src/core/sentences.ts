/**
 * The service's checked sentences (`sentences: [{text, cites, supported}]` in `done`, see
 * docs/api.md "Checked sentences") located in an answer's Markdown, so the widget can mark
 * the unsupported ones. A sentence's text is the answer's with the `[n]` markers removed;
 * whitespace and emphasis may differ, so both sides are compared in a normal form: no
 * whitespace, no `*`, `_`, backticks or `[n]` markers, lower case. A sentence that cannot
 * be found is simply not marked.
 */

export interface CheckedSentence {
  text: string;
  cites: number[];
  supported: boolean;
}

/** The well-formed entries of a `done` event's `sentences` (anything else is dropped). */
export function checkedSentences(value: unknown): CheckedSentence[] {
  if (!Array.isArray(value)) return [];
  const out: CheckedSentence[] = [];
  for (const item of value) {
    if (!item || typeof item !== 'object') continue;
    const { text, cites, supported } = item as Record<string, unknown>;
    if (typeof text !== 'string' || typeof supported !== 'boolean') continue;
    const numbers = Array.isArray(cites) ? cites.filter((n): n is number => typeof n === 'number') : [];
    out.push({ text, cites: numbers, supported });
  }
  return out;
}

const MARKER = /\[\d{1,3}(?:\s*,\s*\d{1,3})*\]/y;
const IGNORED = /[\s*_`]/;
const WORD = /[\p{L}\p{N}]/u;

/** `text` in normal form, and for each of its characters the index it came from. */
function normalise(text: string): { chars: string; from: number[] } {
  let chars = '';
  const from: number[] = [];
  let i = 0;
  while (i < text.length) {
    MARKER.lastIndex = i;
    const marker = MARKER.exec(text);
    if (marker) {
      i += marker[0].length;
      continue;
    }
    const ch = text[i] ?? '';
    if (!IGNORED.test(ch)) {
      chars += ch.toLowerCase();
      from.push(i);
    }
    i += 1;
  }
  return { chars, from };
}

/**
 * Where the given sentences occur in `text`: sorted, non-overlapping `[start, end)` ranges.
 * A range takes in the citation markers right after it, and is widened so that it never
 * cuts one of `tokens` (the inline constructs of `text`, also `[start, end)`): the pieces
 * around it then render exactly as the whole would.
 */
export function sentenceRanges(
  text: string,
  sentences: readonly string[],
  tokens: readonly (readonly [number, number])[] = [],
): [number, number][] {
  if (!sentences.length || !text) return [];
  const source = normalise(text);
  const ranges: [number, number][] = [];
  for (const sentence of sentences) {
    const wanted = normalise(sentence).chars;
    if (wanted.length < 2) continue;
    let at = source.chars.indexOf(wanted);
    for (; at !== -1; at = source.chars.indexOf(wanted, at + 1)) {
      let start = source.from[at] ?? 0;
      let end = (source.from[at + wanted.length - 1] ?? start) + 1;
      // whole words only: "Yes." is not the end of "eyes."
      if (WORD.test(text[start] ?? '') && WORD.test(text[start - 1] ?? '')) continue;
      if (WORD.test(text[end - 1] ?? '') && WORD.test(text[end] ?? '')) continue;
      const tail = /^(?:\s*\[\d{1,3}(?:\s*,\s*\d{1,3})*\])+/.exec(text.slice(end));
      if (tail) end += tail[0].length;
      for (const [a, b] of tokens) {
        if (a < start && start < b) start = a;
        if (a < end && end < b) end = b;
      }
      ranges.push([start, end]);
    }
  }
  ranges.sort((x, y) => x[0] - y[0] || y[1] - x[1]);
  const merged: [number, number][] = [];
  for (const range of ranges) {
    const last = merged[merged.length - 1];
    if (last && range[0] < last[1]) continue;
    merged.push(range);
  }
  return merged;
}
