// One node agent's work at a time on a clock. A host's commands run the clock (frames in flight
// land before the next command), so a kubelet making a sandbox would run, nested, every other
// kubelet's due work, which ran its commands, which ran the next... a call stack as deep as the
// number of pods waiting (RangeError at a few hundred) and work interleaved mid-step. Real agents
// are separate processes: each step runs whole. Work that falls due during another agent's step
// waits until that step ends, then runs in order.

interface Turns {
  busy: boolean;
  readonly waiting: (() => void)[];
}

const byClock = new WeakMap<object, Turns>();

/** Runs `step` now, or right after the agent step in progress on `clock` when there is one. */
export function agentStep(clock: object, step: () => void): void {
  let t = byClock.get(clock);
  if (!t) byClock.set(clock, (t = { busy: false, waiting: [] }));
  if (t.busy) {
    t.waiting.push(step);
    return;
  }
  t.busy = true;
  try {
    step();
    for (let next = t.waiting.shift(); next; next = t.waiting.shift()) next();
  } finally {
    t.busy = false;
  }
}
