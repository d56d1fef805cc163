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

test('events run in (time, scheduling order) whatever their delays, cancels, series and calls: against a sorted list', () => {
  // The model: every event in one list, the least (time, sequence) not cancelled run next.
  class Model {
    time = 0;
    seq = 0;
    events: { at: number; seq: number; fn: () => void; cancelled: boolean }[] = [];
    schedule(delay: number, fn: () => void) {
      const e = { at: this.time + delay, seq: this.seq++, fn, cancelled: false };
      this.events.push(e);
      return e;
    }
    series(at: number[], fn: (i: number) => void) {
      at.forEach((t, i) => this.events.push({ at: t, seq: this.seq++, fn: () => fn(i), cancelled: false }));
    }
    cancel(e: { cancelled: boolean }) {
      e.cancelled = true;
    }
    runUntil(until: number) {
      for (;;) {
        let best: (typeof this.events)[number] | undefined;
        for (const e of this.events)
          if (!e.cancelled && e.at <= until && (!best || e.at < best.at || (e.at === best.at && e.seq < best.seq))) best = e;
        if (!best) break;
        this.events.splice(this.events.indexOf(best), 1);
        this.time = best.at;
        best.fn();
      }
      if (until > this.time) this.time = until;
    }
  }
  const DELAYS = [0, 0, 0, 0.008, 1, 5];
  const run = (useModel: boolean, seed: number): string[] => {
    let x = seed;
    const rnd = (n: number) => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 8) % n;
    const q = new EventQueue();
    const m = new Model();
    const log: string[] = [];
    const now = () => (useModel ? m.time : q.now());
    const handles: unknown[] = [];
    let made = 0;
    const make = (depth: number): void => {
      const name = `e${made++}`;
      const fn = () => {
        log.push(`${name}@${now()}`);
        if (depth < 4) for (let k = rnd(3); k > 0; k--) make(depth + 1);
        if (rnd(5) === 0 && handles.length) {
          const h = handles[rnd(handles.length)];
          if (useModel) m.cancel(h as { cancelled: boolean });
          else q.cancel(h as Parameters<EventQueue['cancel']>[0]);
        }
        if (rnd(7) === 0) {
          const base = now();
          const at = [base, base, base + 1, base + 5];
          const fire = (i: number) => void log.push(`${name}s${i}@${now()}`);
          if (useModel) m.series(at, fire);
          else q.scheduleSeries(at, fire);
        }
      };
      const delay = DELAYS[rnd(DELAYS.length)]!;
      // half of the queue's events are scheduleCall()'s, which the model schedules as any other
      const asCall = rnd(2) === 0;
      const call = (f: () => void, label: string) => (label === name ? f() : assert.fail(label));
      handles.push(useModel ? m.schedule(delay, fn) : asCall ? q.scheduleCall(delay, call, fn, name) : q.schedule(delay, fn));
    };
    for (let i = 0; i < 20; i++) make(0);
    for (const until of [0, 0.5, 3, 20, 100]) {
      if (useModel) m.runUntil(until);
      else q.runUntil(until);
      log.push(`until ${until}`);
    }
    return log;
  };
  for (let seed = 1; seed <= 30; seed++) assert.deepEqual(run(false, seed), run(true, seed), `seed ${seed}`);
});
