// Packet capture taps (smoltcp's tracer, gVisor's sniffer): every frame a device sends or
// receives is recorded for tcpdump. Forwarding code never sees this; dev.ts calls `tap`.
import type { EthernetFrame, Ipv4Packet } from '../wire/index.js';
import type { Link } from './link.js';

export interface CapturedPacket {
  /** Virtual milliseconds. */
  readonly t: number;
  readonly dir: 'in' | 'out';
  readonly data: EthernetFrame | Ipv4Packet;
}

/** Per-device capture rings with a bounded length, so a long run cannot exhaust memory. */
export class Captures {
  enabled = true;
  private readonly rings = new Map<Link, CapturedPacket[]>();

  constructor(private readonly limit = 10_000) {}

  tap(link: Link, t: number, dir: 'in' | 'out', data: EthernetFrame | Ipv4Packet): void {
    if (!this.enabled) return;
    let ring = this.rings.get(link);
    if (!ring) {
      ring = [];
      this.rings.set(link, ring);
    }
    if (ring.length >= this.limit) ring.shift();
    ring.push({ t, dir, data });
  }

  /** Everything captured on `link` so far, oldest first. */
  of(link: Link): readonly CapturedPacket[] {
    return this.rings.get(link) ?? [];
  }

  forget(link: Link): void {
    this.rings.delete(link);
  }
}
