// Virtual time: a clock and an ordered event queue (gVisor's manual clock, smoltcp's poll(timestamp)).
// Nothing outside sim/ reads real time; components take a Clock or a Scheduler.
/** A binary-heap event queue ordered by (time, scheduling order). Deterministic by construction. */
export class EventQueue {
    time = 0;
    seq = 0;
    heap = [];
    live = new Map();
    now() {
        return this.time;
    }
    schedule(delay, fn) {
        if (!(delay >= 0))
            throw new RangeError(`Cannot schedule an event ${delay} ms in the past`);
        const ev = { at: this.time + delay, seq: this.seq++, fn, cancelled: false };
        this.push(ev);
        this.live.set(ev.seq, ev);
        return { id: ev.seq };
    }
    cancel(timer) {
        const ev = this.live.get(timer.id);
        if (ev) {
            ev.cancelled = true;
            this.live.delete(timer.id);
        }
    }
    /** Number of events still waiting. */
    get pending() {
        return this.live.size;
    }
    /** Time of the next live event, or undefined when idle. */
    nextAt() {
        this.dropCancelledHead();
        return this.heap[0]?.at;
    }
    /** Runs every event due at or before `until`, then sets the clock to `until`. */
    runUntil(until) {
        for (;;) {
            this.dropCancelledHead();
            const head = this.heap[0];
            if (!head || head.at > until)
                break;
            this.pop();
            this.live.delete(head.seq);
            this.time = head.at;
            head.fn();
        }
        if (until > this.time)
            this.time = until;
    }
    /** Advances the clock by `delta`, running what falls due. */
    advance(delta) {
        this.runUntil(this.time + delta);
    }
    /** Runs only the events due now (zero-delay work such as packets in flight). */
    runDue() {
        this.runUntil(this.time);
    }
    dropCancelledHead() {
        while (this.heap.length && this.heap[0].cancelled)
            this.pop();
    }
    less(a, b) {
        return a.at < b.at || (a.at === b.at && a.seq < b.seq);
    }
    push(ev) {
        const h = this.heap;
        h.push(ev);
        let i = h.length - 1;
        while (i > 0) {
            const p = (i - 1) >> 1;
            if (!this.less(h[i], h[p]))
                break;
            [h[i], h[p]] = [h[p], h[i]];
            i = p;
        }
    }
    pop() {
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
                if (l < h.length && this.less(h[l], h[m]))
                    m = l;
                if (r < h.length && this.less(h[r], h[m]))
                    m = r;
                if (m === i)
                    break;
                [h[i], h[m]] = [h[m], h[i]];
                i = m;
            }
        }
        return top;
    }
}
//# sourceMappingURL=clock.js.map