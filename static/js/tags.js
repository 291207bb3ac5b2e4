// Card tags (docs/protocol.md): the four dimensions of the workshop's method, stored as the French
// lowercase words, and free tags; at most 12 per card, 1–40 characters each, each kept once whatever
// its case (the first spelling wins, as on the server). Pure and DOM-free (node --test).

export const DIMENSIONS = Object.freeze(['politique', 'économique', 'sociale', 'environnementale']);
export const MAX_TAGS = 12;
export const MAX_TAG = 40;

const fold = (tag) => tag.toLowerCase();

/** A tag as typed, cleaned: trimmed, inner white space collapsed, a leading "#" dropped; '' if unusable. */
export function cleanTag(raw) {
  const tag = String(raw ?? '').replace(/\s+/g, ' ').trim().replace(/^#+\s*/, '');
  return tag.slice(0, MAX_TAG).trim();
}

/** The dimension this tag names (whatever its case), or null for a free tag. */
export function dimensionOf(tag) {
  const folded = fold(String(tag));
  return DIMENSIONS.find((d) => d === folded) || null;
}

export function hasTag(tags, tag) {
  const folded = fold(tag);
  return (tags || []).some((t) => fold(t) === folded);
}

/** `tags` with `tag` added (if new and there is room), as a new array. */
export function addTag(tags, raw) {
  const tag = cleanTag(raw);
  const list = [...(tags || [])];
  if (!tag || hasTag(list, tag) || list.length >= MAX_TAGS) return list;
  list.push(dimensionOf(tag) || tag);
  return list;
}

export function removeTag(tags, tag) {
  const folded = fold(tag);
  return (tags || []).filter((t) => fold(t) !== folded);
}

export function toggleTag(tags, tag) {
  return hasTag(tags, tag) ? removeTag(tags, tag) : addTag(tags, tag);
}

/** Several tags typed at once ("port, emploi"): the pieces between commas or semicolons. */
export function splitTags(text) {
  return String(text ?? '').split(/[,;]/).map(cleanTag).filter(Boolean);
}

/** For display: dimensions first (in their fixed order), then free tags as given. */
export function orderTags(tags) {
  const list = tags || [];
  const dims = DIMENSIONS.filter((d) => hasTag(list, d));
  return [...dims, ...list.filter((t) => !dimensionOf(t))];
}

/** Same tags, whatever the order and case? */
export function sameTags(a, b) {
  const x = (a || []).map(fold).sort();
  const y = (b || []).map(fold).sort();
  return x.length === y.length && x.every((t, i) => t === y[i]);
}

/** The label of a tag: a dimension translated (t.dimensions), a free tag as it is. */
export function tagLabel(tag, t = {}) {
  const dim = dimensionOf(tag);
  return (dim && t.dimensions && t.dimensions[dim]) || tag;
}

/** A CSS-safe class suffix for a dimension ("économique" -> "economique"). */
export const dimClass = (dim) => dim.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
