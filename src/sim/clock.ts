// Virtual time: a clock and an ordered event queue (gVisor's manual clock, smoltcp's poll(timestamp)).
// Nothing outside sim/ reads real time; components take a Clock or a Scheduler.

/** Milliseconds of virtual time since the world began. */
export type Millis = number;

export interface Clock {
  now(): Millis;
}

export interface TimerHandle {
  readonly id: number;
}

export interface Scheduler extends Clock {
  /** Runs `fn` at now() + delay. Events at the same time run in the order they were scheduled. */
  schedule(delay: Millis, fn: () => void): TimerHandle;
  cancel(timer: TimerHandle): void;
}

/**
 * One queued event; an event of schedule() is also its own TimerHandle (id = seq), so scheduling
 * allocates one object and cancel() needs no index of live events.
 */
class Pending implements TimerHandle {
  /** Set when it has run or been cancelled: a later cancel() changes nothing. */
  done = false;
  constructor(
    readonly at: Millis,
    readonly seq: number,
    readonly fn: () => void,
    /** An event of schedule() (counted in `pending`), not of a series. */
    readonly timer: boolean,
    public cancelled = false,
  ) {}

  get id(): number {
    return this.seq;
  }

  run(): void {
    this.fn();
  }
}

/** An event of scheduleCall(): the function and its two arguments, with no closure made per call. */
class PendingCall<A, B> extends Pending {
  constructor(
    at: Millis,
    seq: number,
    private readonly call: (a: A, b: B) => void,
    private readonly a: A,
    private readonly b: B,
  ) {
    super(at, seq, NOTHING, true);
  }

  override run(): void {
    this.call(this.a, this.b);
  }
}

const NOTHING = (): void => undefined;

/**
 * The waiting event of one series (scheduleSeries): one object for the whole series, moved on to
 * the next time and sequence number as each runs, instead of an event and two closures per step.
 */
class SeriesEvent {
  done = false;
  readonly cancelled = false;
  readonly timer = false;
  private i = 0;
  at: Millis;
  seq: number;
  constructor(
    private readonly queue: EventQueue,
    private readonly times: readonly Millis[],
    private readonly first: number,
    private readonly fn: (i: number) => void,
  ) {
    this.at = times[0]!;
    this.seq = first;
  }

  run(): void {
    const i = this.i;
    this.queue.seriesStep();
    if (i + 1 < this.times.length) {
      this.i = i + 1;
      this.at = this.times[i + 1]!;
      this.seq = this.first + i + 1;
      this.done = false;
      this.queue.requeue(this);
    }
    this.fn(i);
  }
}

type Queued = Pending | SeriesEvent;

/** A binary-heap event queue ordered by (time, scheduling order). Deterministic by construction. */
export class EventQueue implements Scheduler {
  private time: Millis = 0;
  private seq = 0;
  private heap: Queued[] = [];
  /**
   * Events scheduled for the instant it was when they were scheduled (delay 0), in scheduling order
   * from `dueHead`: ordered among the heap's by the same (time, sequence) comparison, but without a
   * walk up and down a heap that, while a large apply runs at one instant, holds every frame in
   * flight and every timer ahead (a hundred thousand events at 1,000 nodes).
   */
  private due: Pending[] = [];
  private dueHead = 0;
  /** Events of schedule() neither run nor cancelled. */
  private live = 0;
  /** Events of series (scheduleSeries) not yet run (in the heap or waiting for their turn). */
  private waiting = 0;

  now(): Millis {
    return this.time;
  }

  schedule(delay: Millis, fn: () => void): TimerHandle {
    if (!(delay >= 0)) throw new RangeError(`Cannot schedule an event ${delay} ms in the past`);
    return this.scheduleAt(this.time + delay, fn);
  }

  /** An event at the absolute time `at` (not before now): exact where now + (at - now) may round. */
  scheduleAt(at: Millis, fn: () => void): TimerHandle {
    if (!(at >= this.time)) throw new RangeError(`Cannot schedule an event at ${at} ms, before now (${this.time} ms)`);
    return this.enqueue(new Pending(at, this.seq++, fn, true));
  }

  /**
   * schedule() of `fn(a, b)`: one object per event rather than an event, a closure and its
   * context (a frame between two devices is one: a pod's link-up frames wait as these).
   */
  scheduleCall<A, B>(delay: Millis, fn: (a: A, b: B) => void, a: A, b: B): TimerHandle {
    if (!(delay >= 0)) throw new RangeError(`Cannot schedule an event ${delay} ms in the past`);
    return this.enqueue(new PendingCall(this.time + delay, this.seq++, fn, a, b));
  }

  private enqueue(ev: Pending): Pending {
    if (ev.at === this.time) this.due.push(ev);
    else this.push(ev);
    this.live++;
    return ev;
  }

  /**
   * `fn(i)` at each absolute time `at[i]` (non-decreasing), run exactly as if each were
   * scheduleAt()'d now (the same order among all events, ties included: each keeps the sequence
   * number it would have had), but only the next one waits in the heap: a plan of many frames for
   * one link (the IPv6 link-up) costs the heap one entry and no closure per frame.
   */
  scheduleSeries(at: readonly Millis[], fn: (i: number) => void): void {
    if (at.length === 0) return;
    if (!(at[0]! >= this.time)) throw new RangeError(`Cannot schedule an event at ${at[0]} ms, before now (${this.time} ms)`);
    for (let i = 1; i < at.length; i++) {
      if (!(at[i]! >= at[i - 1]!)) throw new RangeError('A series of events must be in time order');
    }
    this.waiting += at.length;
    this.push(new SeriesEvent(this, at, this.seq, fn));
    this.seq += at.length;
  }

  /** A series' event has run: one less waiting. */
  seriesStep(): void {
    this.waiting--;
  }

  /** Puts a series' next event in the heap (see SeriesEvent). */
  requeue(ev: SeriesEvent): void {
    this.push(ev);
  }

  cancel(timer: TimerHandle): void {
    if (!(timer instanceof Pending) || timer.done || !timer.timer) return;
    timer.done = true;
    timer.cancelled = true;
    this.live--;
  }

  /** Number of events still waiting. */
  get pending(): number {
    return this.live + this.waiting;
  }

  /** Time of the next live event, or undefined when idle. */
  nextAt(): Millis | undefined {
    this.dropCancelledHead();
    return this.nextDue()?.at ?? this.heap[0]?.at;
  }

  /** Runs every event due at or before `until`, then sets the clock to `until`. */
  runUntil(until: Millis): void {
    for (;;) {
      this.dropCancelledHead();
      let head: Queued | undefined = this.heap[0];
      const due = this.nextDue();
      // a due event is at the clock's time, so never after `until`
      if (due !== undefined && (head === undefined || this.less(due, head))) {
        head = due;
        this.takeDue();
      } else {
        if (!head || head.at > until) break;
        this.pop();
      }
      head.done = true;
      if (head.timer) this.live--;
      this.time = head.at;
      head.run();
    }
    if (until > this.time) this.time = until;
  }

  /** The first due event not cancelled (cancelled ones before it are dropped). */
  private nextDue(): Pending | undefined {
    const due = this.due;
    while (this.dueHead < due.length && due[this.dueHead]!.cancelled) this.dueHead++;
    if (this.dueHead < due.length) return due[this.dueHead];
    if (due.length) {
      due.length = 0;
      this.dueHead = 0;
    }
    return undefined;
  }

  /** Takes nextDue()'s event off the list; the list sheds what was taken once that is most of it. */
  private takeDue(): void {
    this.dueHead++;
    if (this.dueHead >= 1024 && this.dueHead * 2 >= this.due.length) {
      this.due = this.due.slice(this.dueHead);
      this.dueHead = 0;
    }
  }

  /** Advances the clock by `delta`, running what falls due. */
  advance(delta: Millis): void {
    this.runUntil(this.time + delta);
  }

  /** Runs only the events due now (zero-delay work such as packets in flight). */
  runDue(): void {
    this.runUntil(this.time);
  }

  private dropCancelledHead(): void {
    while (this.heap.length && this.heap[0]!.cancelled) this.pop();
  }

  private less(a: Queued, b: Queued): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(ev: Queued): void {
    const h = this.heap;
    h.push(ev);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = h[p]!;
      if (!this.less(ev, parent)) break;
      h[i] = parent;
      h[p] = ev;
      i = p;
    }
  }

  private pop(): Queued | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        const moved = h[i]!;
        h[i] = h[m]!;
        h[m] = moved;
        i = m;
      }
    }
    return top;
  }
}
