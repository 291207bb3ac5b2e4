// The workshop timer's arithmetic (docs/protocol.md, "Live controls"), pure so node tests it.

/** Milliseconds to add to this device's clock to get the server's (phones' clocks drift). */
export function clockOffset(serverTime, receivedAt = Date.now()) {
  const server = Date.parse(serverTime || '');
  return Number.isFinite(server) ? server - receivedAt : 0;
}

/** Whole seconds left on `timer` at device time `now`, with the server clock offset. */
export function secondsLeft(timer, now = Date.now(), offset = 0) {
  if (!timer) return 0;
  if (!timer.running) return Math.max(0, Math.round(timer.remaining || 0));
  const ends = Date.parse(timer.ends_at || '');
  if (!Number.isFinite(ends)) return 0;
  return Math.max(0, Math.ceil((ends - (now + offset)) / 1000));
}

/** "9:05", "1:02:03". */
export function clock(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return hh ? `${hh}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

/** 'running' | 'ending' (last minute) | 'done' | 'paused' | 'none'. */
export function phase(timer, left) {
  if (!timer) return 'none';
  if (left <= 0) return 'done';
  if (!timer.running) return 'paused';
  return left <= 60 ? 'ending' : 'running';
}
