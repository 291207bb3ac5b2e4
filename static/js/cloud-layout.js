// The word cloud's arithmetic (prompt-screen.js, word-cloud.js): no DOM, tested in cloud-layout.test.js.

export const MIN_EM = 1.1;
export const MAX_EM = 4.6;
export const COLOURS = 6;

/**
 * A word's size in em: the smallest for one person, the largest for the most-given word, on a log
 * scale between (so one very popular word does not shrink every other to nothing).
 */
export function wordSize(count, maxCount) {
  const top = Math.max(maxCount, 2);
  const share = Math.log(Math.max(count, 1)) / Math.log(top);
  return Math.round((MIN_EM + (MAX_EM - MIN_EM) * Math.min(share, 1)) * 100) / 100;
}

/** The biggest words in the middle, the others alternately after and before (a cloud's shape). */
export function centreOrder(words) {
  const sorted = [...words].sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
  const out = [];
  sorted.forEach((word, index) => (index % 2 ? out.unshift(word) : out.push(word)));
  return out;
}

/** A colour index that stays the same for a word as the cloud grows. */
export function colourOf(key) {
  let hash = 0;
  for (const char of key) hash = (hash * 31 + char.codePointAt(0)) >>> 0;
  return hash % COLOURS;
}

/** The cloud shown: the words not hidden, in the centre order, with their size and colour. */
export function layout(words) {
  const shown = words.filter((w) => !w.hidden);
  const max = shown.reduce((m, w) => Math.max(m, w.count), 0);
  return centreOrder(shown).map((w) => ({ ...w, size: wordSize(w.count, max), colour: colourOf(w.key) }));
}

/** Bar width in percent of an average rating out of 5 (0 when there is none). */
export function ratingShare(average) {
  if (typeof average !== 'number' || !Number.isFinite(average)) return 0;
  return Math.max(0, Math.min(100, Math.round((average / 5) * 1000) / 10));
}
