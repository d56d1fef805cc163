// Packet capture taps (smoltcp's tracer, gVisor's sniffer): every frame a device sends or
// receives is recorded for tcpdump. Forwarding code never sees this; dev.ts calls `tap`.
// Always on, by choice: a tcpdump run to completion in a script prints its device's whole ring
// (no proc.since: the traffic it shows came before it), a background or interrupted one what
// came after it started, so taps that began only when tcpdump attached would lose the first
// case, which the seeds' labs rely on. They cost little where it would matter: a 200-node kind
// cluster with 6,000 pods taps 25,632 frames (about 4 per pod, the IPv6 link-up reports), and
// turning the taps off changed its CPU per pod within noise (1.58/1.70 vs 1.71/1.53 ms). A ring
// is made on a device's first frame and drops in O(1).
import type { EthernetFrame, Ipv4Packet } from '../wire/index.js';
import type { Link } from './link.js';

export interface CapturedPacket {
  /** Virtual milliseconds. */
  readonly t: number;
  readonly dir: 'in' | 'out';
  readonly data: EthernetFrame | Ipv4Packet;
}

/** A bounded ring: once full, a new packet overwrites the oldest in O(1) (no shifting of the rest). */
class Ring {
  /**
   * The items, oldest at `head` once the ring has wrapped; grown by doubling from a few slots (a
   * pod's devices capture a handful of IPv6 frames: push() onto [] would leave room for 17).
   */
  private items: CapturedPacket[];
  private count = 0;
  /** Where the oldest item is once the ring has wrapped. */
  private head = 0;

  constructor(private readonly limit: number) {
    this.items = new Array(Math.min(limit, RING_FIRST_SLOTS));
  }

  push(p: CapturedPacket): void {
    if (this.count < this.limit) {
      if (this.count === this.items.length) {
        const grown: CapturedPacket[] = new Array(Math.min(this.limit, this.items.length * 2));
        for (let i = 0; i < this.count; i++) grown[i] = this.items[i]!;
        this.items = grown;
      }
      this.items[this.count++] = p;
      return;
    }
    this.items[this.head] = p;
    this.head = (this.head + 1) % this.limit;
  }

  /** Oldest first. */
  toArray(): readonly CapturedPacket[] {
    const filled = this.count === this.items.length ? this.items : this.items.slice(0, this.count);
    return this.head === 0 ? filled : [...filled.slice(this.head), ...filled.slice(0, this.head)];
  }
}

/** A ring's first slots (see Ring.items). */
const RING_FIRST_SLOTS = 4;

/** Per-device capture rings with a bounded length, so a long run cannot exhaust memory. */
export class Captures {
  enabled = true;
  private readonly rings = new Map<Link, Ring>();

  constructor(private readonly limit = 10_000) {}

  tap(link: Link, t: number, dir: 'in' | 'out', data: EthernetFrame | Ipv4Packet): void {
    if (!this.enabled) return;
    let ring = this.rings.get(link);
    if (!ring) {
      ring = new Ring(this.limit);
      this.rings.set(link, ring);
    }
    ring.push({ t, dir, data });
  }

  /** Everything captured on `link` so far, oldest first. */
  of(link: Link): readonly CapturedPacket[] {
    return this.rings.get(link)?.toArray() ?? [];
  }

  forget(link: Link): void {
    this.rings.delete(link);
  }
}
