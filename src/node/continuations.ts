// Scripts that wait on the virtual clock (a container's `sleep 2` in its loop) without driving it.
// A script is async code: the timer that ends its sleep only resolves a promise, and the script
// goes on in a later microtask. A waiter that runs a manual clock synchronously would run the
// whole wait first, so the script's next step (and its next sleep) would happen at the wait's end.
// So the timer marks the clock "a script resumed", and the lab's waits, after such an event, give
// the script a macrotask turn to run up to its next wait before the clock moves on. Waits in
// which no script resumes pay nothing.
import type { Scheduler } from '../sim/index.js';

const resumed = new WeakSet<object>();

/** Notes that a script waiting on `clock` may go on now (its continuation is queued). */
export function markResumed(clock: object): void {
  resumed.add(clock);
}

/** Whether a script resumed on `clock` since the last call (and forgets it). */
export function takeResumed(clock: object): boolean {
  return resumed.delete(clock);
}

/**
 * Resolves after `ms` of virtual time on `clock` (never, for Infinity), or at once when `signal`
 * is aborted; the script that awaits it runs on at that virtual instant.
 */
export function sleepOn(clock: Scheduler, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = () => {
      if (timer) clock.cancel(timer);
      resolve();
    };
    const timer = Number.isFinite(ms)
      ? clock.schedule(Math.max(0, ms), () => {
          signal?.removeEventListener('abort', onAbort);
          markResumed(clock);
          resolve();
        })
      : undefined;
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

interface Port {
  onmessage: (() => void) | null;
  postMessage(m: unknown): void;
  close(): void;
}

/**
 * One macrotask turn, after every queued microtask has run: Node's setImmediate, else a message on a
 * fresh channel (a task in browsers too). A turn of the event loop, not a measure of real time.
 */
export function macrotask(): Promise<void> {
  const g = globalThis as unknown as {
    setImmediate?: (fn: () => void) => unknown;
    MessageChannel?: new () => { port1: Port; port2: Port };
  };
  return new Promise((resolve) => {
    if (g.setImmediate) return void g.setImmediate(resolve);
    const ch = new g.MessageChannel!();
    ch.port1.onmessage = () => {
      ch.port1.close();
      resolve();
    };
    ch.port2.postMessage(0);
  });
}
