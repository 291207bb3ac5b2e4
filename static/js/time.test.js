// Run with any device zone: the tests set TZ themselves (Node reads it again when it changes).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  clocksDiffer, formatTime, formatTimeRange, fromWorkshopClock, offsetMinutes, sameWorkshopDay, workshopDay, workshopIso,
  workshopTime,
} from './time.js';

const PARIS = 'Europe/Paris';
const winter = new Date('2026-12-07T09:30:00Z'); // 10:30 in Paris, 04:30 in New York

test('times are on the workshop clock, the zone named only when the device reads otherwise', () => {
  process.env.TZ = 'America/New_York';
  assert.equal(clocksDiffer(winter, PARIS), true);
  assert.equal(formatTime(winter, { hour: '2-digit', minute: '2-digit' }, 'fr', PARIS), '10:30 UTC+1');
  assert.equal(formatTimeRange(winter, new Date('2026-12-07T11:00:00Z'), undefined, 'fr', PARIS), '10:30–12:00 UTC+1');
  process.env.TZ = 'Europe/Paris';
  assert.equal(clocksDiffer(winter, PARIS), false);
  assert.equal(formatTime(winter, { hour: '2-digit', minute: '2-digit' }, 'fr', PARIS), '10:30');
  assert.equal(formatTimeRange(winter, new Date('2026-12-07T11:00:00Z'), undefined, 'fr', PARIS), '10:30–12:00');
  process.env.TZ = 'Europe/Brussels'; // another name, the same clock: nothing to say
  assert.equal(formatTime(winter, { hour: '2-digit', minute: '2-digit' }, 'fr', PARIS), '10:30');
  assert.equal(formatTime(winter, { day: 'numeric', month: 'long' }, 'fr', PARIS), '7 décembre');
});

test('days, wall clocks and offsets of the workshop, summer time included', () => {
  process.env.TZ = 'Pacific/Auckland';
  const lateEvening = new Date('2026-06-01T22:30:00Z'); // 00:30 on 2 June in Paris (summer: UTC+2)
  assert.equal(workshopDay(lateEvening, PARIS), '2026-06-02');
  assert.equal(workshopTime(lateEvening, PARIS), '00:30');
  assert.equal(offsetMinutes(lateEvening, PARIS), 120);
  assert.equal(offsetMinutes(winter, PARIS), 60);
  assert.equal(sameWorkshopDay(lateEvening, new Date('2026-06-02T08:00:00Z'), PARIS), true);
  assert.equal(fromWorkshopClock('2026-06-02', '09:00', PARIS).toISOString(), '2026-06-02T07:00:00.000Z');
  assert.equal(fromWorkshopClock('2026-12-07', '09:00', PARIS).toISOString(), '2026-12-07T08:00:00.000Z');
  assert.equal(workshopIso(fromWorkshopClock('2026-06-02', '09:00', PARIS), PARIS), '2026-06-02T09:00:00+02:00');
  assert.equal(fromWorkshopClock('2026-02-30', 'x', PARIS), null);
});
