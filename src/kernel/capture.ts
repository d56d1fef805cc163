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

type Captured = CapturedPacket['data'];

/**
 * A bounded ring: once full, a new packet overwrites the oldest in O(1) (no shifting of the rest).
 * Packets are held flat, three slots each (time, direction, data), not as a record each: a pod's
 * devices keep the IPv6 link-up frames they sent, and the records were most of what they cost.
 */
class Ring {
  /**
   * Time, direction and data of each packet, the oldest at `head` once the ring has wrapped; grown
   * by doubling from room for two packets (push() onto [] would leave room for 17 slots).
   */
  private slots: (number | CapturedPacket['dir'] | Captured)[];
  private count = 0;
  /** Where the oldest packet is once the ring has wrapped (a packet index). */
  private head = 0;

  constructor(private readonly limit: number) {
    this.slots = new Array(Math.min(limit, RING_FIRST_PACKETS) * 3);
  }

  push(t: number, dir: CapturedPacket['dir'], data: Captured): void {
    let at: number;
    if (this.count < this.limit) {
      if (this.count * 3 === this.slots.length) {
        const grown: Ring['slots'] = new Array(Math.min(this.limit, this.count * 2) * 3);
        for (let i = 0; i < this.slots.length; i++) grown[i] = this.slots[i]!;
        this.slots = grown;
      }
      at = this.count++ * 3;
    } else {
      at = this.head * 3;
      this.head = (this.head + 1) % this.limit;
    }
    this.slots[at] = t;
    this.slots[at + 1] = dir;
    this.slots[at + 2] = data;
  }

  /** Oldest first. */
  toArray(): readonly CapturedPacket[] {
    const out: CapturedPacket[] = new Array(this.count);
    for (let n = 0; n < this.count; n++) {
      const at = ((this.head + n) % this.count) * 3;
      out[n] = {
        t: this.slots[at] as number,
        dir: this.slots[at + 1] as CapturedPacket['dir'],
        data: this.slots[at + 2] as Captured,
      };
    }
    return out;
  }
}

/** Packets a ring has room for at first (see Ring.slots). */
const RING_FIRST_PACKETS = 2;

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
    ring.push(t, dir, data);
  }

  /** Everything captured on `link` so far, oldest first. */
  of(link: Link): readonly CapturedPacket[] {
    return this.rings.get(link)?.toArray() ?? [];
  }

  forget(link: Link): void {
    this.rings.delete(link);
  }
}
