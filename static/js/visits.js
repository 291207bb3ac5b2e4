// The workshop's agenda on the capture screen (pure, tested under node:test). Days and times are the
// workshop's (time.js).

import { formatTime, formatTimeRange, sameWorkshopDay } from './time.js';

/**
 * The visit to pre-select at `now`: the one happening now (starts_at <= now < ends_at; the latest
 * started if they overlap), else the next one starting later the same day (the workshop's), else null.
 */
export function currentVisit(visits, now = new Date()) {
  const t = now.getTime();
  const timed = (visits || [])
    .map((v) => ({ visit: v, start: Date.parse(v.starts_at), end: Date.parse(v.ends_at) }))
    .filter((v) => Number.isFinite(v.start) && Number.isFinite(v.end));
  const running = timed.filter((v) => v.start <= t && t < v.end).sort((a, b) => b.start - a.start);
  if (running.length) return running[0].visit;
  const later = timed.filter((v) => v.start > t && sameWorkshopDay(v.start, now)).sort((a, b) => a.start - b.start);
  return later.length ? later[0].visit : null;
}

/** "09:00–12:00" (and the day when it is not today). */
export function visitWhen(visit, locale, now = new Date()) {
  const start = new Date(visit.starts_at);
  const end = new Date(visit.ends_at);
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) return '';
  const range = formatTimeRange(start, end, undefined, locale);
  if (sameWorkshopDay(start, now)) return range;
  return `${formatTime(start, { weekday: 'short', day: 'numeric', month: 'short' }, locale)} ${range}`;
}

/** Distinct actors met, most recent first, case-insensitively de-duplicated. */
export function actorSuggestions(cards, limit = 50) {
  const sorted = [...(cards || [])].sort((a, b) => String(b.updated_at || b.created_at || '').localeCompare(String(a.updated_at || a.created_at || '')));
  const seen = new Set();
  const out = [];
  for (const card of sorted) {
    const actor = String((card && card.actor) || '').trim();
    const key = actor.toLocaleLowerCase();
    if (!actor || seen.has(key)) continue;
    seen.add(key);
    out.push(actor);
    if (out.length >= limit) break;
  }
  return out;
}
