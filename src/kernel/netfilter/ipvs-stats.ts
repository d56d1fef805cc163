// Packet and byte counters of a service, a real server or the whole namespace, with the 2-second
// rate estimator behind `ipvsadm --stats` and `--rate` (net/netfilter/ipvs/ip_vs_est.c, and
// ip_vs_zero_stats() of ip_vs_ctl.c).
import type { Clock } from '../../sim/index.js';

/** Packet and byte counters with the estimator's rates (struct ip_vs_stats). */
export class IpvsStats {
  conns = 0;
  inpkts = 0;
  outpkts = 0;
  inbytes = 0;
  outbytes = 0;
  // Zero point of `ipvsadm -Z` (kstats0).
  private zero = { conns: 0, inpkts: 0, outpkts: 0, inbytes: 0, outbytes: 0 };
  // ip_vs_estimator: scaled averages and last values.
  private est = { cps: 0, inpps: 0, outpps: 0, inbps: 0, outbps: 0 };
  private last = { conns: 0, inpkts: 0, outpkts: 0, inbytes: 0, outbytes: 0 };
  private nextTick: number;

  constructor(private readonly clock: Clock) {
    this.nextTick = clock.now() + ESTIMATOR_PERIOD_MS;
  }

  /** Runs the 2-second estimation ticks that fell due (before counters change or are read). */
  tick(): void {
    const now = this.clock.now();
    let ticks = 0;
    while (this.nextTick <= now) {
      this.nextTick += ESTIMATOR_PERIOD_MS;
      // After a long quiet spell every average has decayed to zero; skip the rest.
      if (++ticks > 256) {
        this.nextTick = now - (now % ESTIMATOR_PERIOD_MS) + ESTIMATOR_PERIOD_MS;
        this.est = { cps: 0, inpps: 0, outpps: 0, inbps: 0, outbps: 0 };
        this.last = { conns: this.conns, inpkts: this.inpkts, outpkts: this.outpkts, inbytes: this.inbytes, outbytes: this.outbytes };
        break;
      }
      const step = (avg: number, rate: number): number => avg + Math.floor((rate - avg) / 4);
      this.est.cps = step(this.est.cps, (this.conns - this.last.conns) * 512);
      this.est.inpps = step(this.est.inpps, (this.inpkts - this.last.inpkts) * 512);
      this.est.outpps = step(this.est.outpps, (this.outpkts - this.last.outpkts) * 512);
      this.est.inbps = step(this.est.inbps, (this.inbytes - this.last.inbytes) * 16);
      this.est.outbps = step(this.est.outbps, (this.outbytes - this.last.outbytes) * 16);
      this.last = { conns: this.conns, inpkts: this.inpkts, outpkts: this.outpkts, inbytes: this.inbytes, outbytes: this.outbytes };
    }
  }

  /** What `ipvsadm --stats` and `--rate` print (ip_vs_copy_stats + ip_vs_read_estimator). */
  snapshot(): {
    conns: number;
    inpkts: number;
    outpkts: number;
    inbytes: number;
    outbytes: number;
    cps: number;
    inpps: number;
    outpps: number;
    inbps: number;
    outbps: number;
  } {
    this.tick();
    return {
      conns: this.conns - this.zero.conns,
      inpkts: this.inpkts - this.zero.inpkts,
      outpkts: this.outpkts - this.zero.outpkts,
      inbytes: this.inbytes - this.zero.inbytes,
      outbytes: this.outbytes - this.zero.outbytes,
      cps: Math.floor((this.est.cps + 0x1ff) / 1024),
      inpps: Math.floor((this.est.inpps + 0x1ff) / 1024),
      outpps: Math.floor((this.est.outpps + 0x1ff) / 1024),
      inbps: Math.floor((this.est.inbps + 0xf) / 32),
      outbps: Math.floor((this.est.outbps + 0xf) / 32),
    };
  }

  /** ip_vs_zero_stats(): counters restart from now, rates are zeroed. */
  reset(): void {
    this.tick();
    this.zero = { conns: this.conns, inpkts: this.inpkts, outpkts: this.outpkts, inbytes: this.inbytes, outbytes: this.outbytes };
    this.est = { cps: 0, inpps: 0, outpps: 0, inbps: 0, outbps: 0 };
    this.last = { ...this.zero };
  }

  countConn(): void {
    this.tick();
    this.conns++;
  }

  countIn(len: number): void {
    this.tick();
    this.inpkts++;
    this.inbytes += len;
  }

  countOut(len: number): void {
    this.tick();
    this.outpkts++;
    this.outbytes += len;
  }
}

const ESTIMATOR_PERIOD_MS = 2000;
