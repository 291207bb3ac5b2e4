// Times on the workshop's clock. Every time a page shows (board, capture, agenda, console…) is in the
// workshop's time zone (the TIMEZONE setting, on <html data-time-zone>), not the device's: a phone
// still set to another zone shows the times people are given in the room. Where the device's clock
// reads otherwise at that moment, the zone is named ("10:30 UTC+1"); where both agree, nothing is added.
// Use these instead of `new Intl.DateTimeFormat` / `toLocale…String` / `getHours` (tests/test_i18n_catalogue.py).

const formats = new Map();

export const pageLocale = () => globalThis.document?.documentElement.lang || 'fr';

/** The workshop's IANA zone name, as the server gave it to the page. */
export const workshopZone = () => globalThis.document?.documentElement.dataset.timeZone || 'Europe/Paris';

function dateTimeFormat(locale, options) {
  const key = JSON.stringify([locale, options]);
  if (!formats.has(key)) formats.set(key, new Intl.DateTimeFormat(locale, options));
  return formats.get(key);
}

const toDate = (value) => (value instanceof Date ? value : new Date(value));
const valid = (date) => !Number.isNaN(date.getTime());
const pad = (n, width = 2) => String(n).padStart(width, '0');

/** The wall clock of `date` in `zone`: {year, month (1–12), day, hour (0–23), minute}. */
export function wallClock(date, zone = workshopZone()) {
  const parts = dateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric',
  }).formatToParts(toDate(date));
  const value = (type) => Number(parts.find((p) => p.type === type)?.value);
  return { year: value('year'), month: value('month'), day: value('day'), hour: value('hour') % 24, minute: value('minute') };
}

/** Minutes `zone` is ahead of UTC at `date` (summer time included). */
export function offsetMinutes(date, zone = workshopZone()) {
  const at = toDate(date);
  const w = wallClock(at, zone);
  const minute = Math.floor(at.getTime() / 60000) * 60000;
  return Math.round((Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute) - minute) / 60000);
}

/** Whether this device's clock reads another time than the workshop's at `date`. */
export function clocksDiffer(date, zone = workshopZone()) {
  const at = toDate(date);
  return offsetMinutes(at, zone) !== -at.getTimezoneOffset();
}

/**
 * `date` (a Date or an ISO string) with Intl.DateTimeFormat `options` (not dateStyle/timeStyle), on the
 * workshop's clock; a time of day gets the zone's name when the device's clock differs then.
 */
export function formatTime(date, options = { hour: '2-digit', minute: '2-digit' }, locale = pageLocale(), zone = workshopZone()) {
  const at = toDate(date);
  if (!valid(at)) return '';
  const named = 'hour' in options && clocksDiffer(at, zone);
  return dateTimeFormat(locale, { ...options, timeZone: zone, ...(named ? { timeZoneName: 'short' } : {}) }).format(at);
}

/** "09:00–12:00", the zone named once, at the end, when the device's clock differs. */
export function formatTimeRange(start, end, options = { hour: '2-digit', minute: '2-digit' }, locale = pageLocale(), zone = workshopZone()) {
  const from = toDate(start);
  const to = toDate(end);
  if (!valid(from) || !valid(to)) return '';
  const named = 'hour' in options && (clocksDiffer(from, zone) || clocksDiffer(to, zone));
  const first = dateTimeFormat(locale, { ...options, timeZone: zone }).format(from);
  const last = dateTimeFormat(locale, { ...options, timeZone: zone, ...(named ? { timeZoneName: 'short' } : {}) }).format(to);
  return `${first}–${last}`;
}

/** The zone's short name at `date` ("UTC+1", "GMT+1"). */
export function zoneName(date = new Date(), locale = pageLocale(), zone = workshopZone()) {
  const parts = dateTimeFormat(locale, { timeZone: zone, timeZoneName: 'short' }).formatToParts(toDate(date));
  return parts.find((p) => p.type === 'timeZoneName')?.value || zone;
}

/** '2-digit' hours where the language's clock has 24 hours (08:00), 'numeric' where it has 12 (8:00 AM). */
export function hourDigits(locales = pageLocale()) {
  const cycle = dateTimeFormat(locales, { hour: 'numeric' }).resolvedOptions().hourCycle;
  return ['h23', 'h24'].includes(cycle) ? '2-digit' : 'numeric';
}

/** A formatter object like Intl.DateTimeFormat's (`.format(date)`), on the workshop's clock. */
export const timeFormat = (locale, options) => ({ format: (date) => formatTime(date, options, locale) });

/** The workshop's calendar day of `date`, `YYYY-MM-DD` (what `<input type="date">` holds). */
export function workshopDay(date, zone = workshopZone()) {
  const w = wallClock(date, zone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
}

/** The workshop's wall-clock time of `date`, `HH:MM` (what `<input type="time">` holds). */
export function workshopTime(date, zone = workshopZone()) {
  const w = wallClock(date, zone);
  return `${pad(w.hour)}:${pad(w.minute)}`;
}

/** Whether two moments fall on the same day of the workshop's calendar. */
export const sameWorkshopDay = (a, b, zone = workshopZone()) => workshopDay(a, zone) === workshopDay(b, zone);

/**
 * `YYYY-MM-DD` + `HH:MM` on the workshop's clock → the moment (a Date), or null. A time skipped by a
 * change to summer time comes out moved by the change, as clocks do.
 */
export function fromWorkshopClock(day, time, zone = workshopZone()) {
  const d = /^(\d{4,})-(\d{2})-(\d{2})$/.exec(day || '');
  const tm = /^(\d{2}):(\d{2})/.exec(time || '');
  if (!d || !tm) return null;
  const guess = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(tm[1]), Number(tm[2]));
  if (Number.isNaN(guess)) return null;
  let moment = guess - offsetMinutes(new Date(guess), zone) * 60000;
  const again = offsetMinutes(new Date(moment), zone);
  moment = guess - again * 60000;
  return new Date(moment);
}

/** ISO 8601 of `date` on the workshop's clock, with the zone's offset then ("2026-06-02T09:00:00+02:00"). */
export function workshopIso(date, zone = workshopZone()) {
  const offset = offsetMinutes(date, zone);
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return `${workshopDay(date, zone)}T${workshopTime(date, zone)}:00${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}
