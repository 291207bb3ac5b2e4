import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { clock, clockOffset, phase, secondsLeft } from './live-timer.js';

describe('live timer', () => {
  const now = Date.parse('2017-11-17T09:00:00Z');
  const timer = { running: true, ends_at: '2017-11-17T09:10:00+00:00', remaining: 600, duration: 600 };

  it('counts down from the server end time, corrected by the clock offset', () => {
    assert.equal(secondsLeft(timer, now), 600);
    const offset = clockOffset('2017-11-17T09:01:00Z', now); // this phone is a minute late
    assert.equal(offset, 60000);
    assert.equal(secondsLeft(timer, now, offset), 540);
    assert.equal(secondsLeft(timer, now + 3600000), 0);
  });

  it('a paused timer shows what was left', () => {
    assert.equal(secondsLeft({ running: false, remaining: 125, ends_at: null }, now), 125);
  });

  it('formats and phases', () => {
    assert.deepEqual([clock(0), clock(65), clock(3723)], ['0:00', '1:05', '1:02:03']);
    assert.deepEqual([phase(null, 0), phase(timer, 600), phase(timer, 30), phase(timer, 0),
      phase({ running: false }, 30)], ['none', 'running', 'ending', 'done', 'paused']);
  });
});
