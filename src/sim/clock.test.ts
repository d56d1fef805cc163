import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventQueue } from './clock.js';

test('a series of events runs in the order single events scheduled at the same moment would, ties and later events included', () => {
  // Two queues fed the same events: one as single scheduleAt calls, one with the plans as series.
  const run = (series: boolean): string[] => {
    const q = new EventQueue();
    const log: string[] = [];
    const plan = (name: string, times: number[]) => {
      const fire = (i: number) => void log.push(`${name}${i}@${q.now()}`);
      if (series) q.scheduleSeries(times, fire);
      else times.forEach((at, i) => q.scheduleAt(at, () => fire(i)));
    };
    plan('a', [0, 0, 5, 12, 12, 40]);
    q.scheduleAt(12, () => {
      log.push(`x@${q.now()}`);
      q.schedule(0, () => void log.push(`y@${q.now()}`)); // scheduled while the plans wait: after their events at 12
    });
    plan('b', [5, 12, 30]);
    q.runUntil(20);
    log.push(`pending ${q.pending}`);
    q.runUntil(100);
    log.push(`pending ${q.pending}`);
    return log;
  };
  assert.deepEqual(run(true), run(false));
  assert.deepEqual(run(true).slice(0, 5), ['a0@0', 'a1@0', 'a2@5', 'b0@5', 'a3@12']);
  assert.ok(run(true).includes('pending 2'));
  assert.throws(() => new EventQueue().scheduleSeries([2, 1], () => {}), /time order/);
});
