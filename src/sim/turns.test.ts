import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventQueue } from './clock.js';
import { agentStep } from './turns.js';

test('an agent step that runs the clock does not run another step inside it: that one waits, then runs in order, with a shallow stack', () => {
  const clock = new EventQueue();
  const log: string[] = [];
  let depth = 0;
  let deepest = 0;
  // 5,000 agents whose steps each run the clock, as a host's command does
  for (let i = 0; i < 5000; i++) {
    clock.schedule(0, () =>
      agentStep(clock, () => {
        depth++;
        deepest = Math.max(deepest, depth);
        log.push(`start ${i}`);
        clock.runUntil(clock.now() + 1);
        log.push(`end ${i}`);
        depth--;
      }),
    );
  }
  clock.runUntil(0);
  assert.equal(deepest, 1);
  assert.equal(log.length, 10_000);
  assert.deepEqual(log.slice(0, 4), ['start 0', 'end 0', 'start 1', 'end 1']);
  // another clock's agents are not held up
  const other = new EventQueue();
  let ran = false;
  agentStep(clock, () => agentStep(other, () => (ran = true)));
  assert.equal(ran, true);
});
