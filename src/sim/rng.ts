// Seeded randomness: every random choice in a world (MACs, reachable-time jitter, statistic
// matches) comes from one Rng, so the same seed rebuilds the same world byte for byte.

/** xoshiro128** seeded through splitmix32: small, fast, and good enough for a network emulator. */
export class Rng {
  private s: Uint32Array;

  constructor(seed: number | string) {
    const next = splitmix32(typeof seed === 'number' ? seed : hashString(seed));
    this.s = new Uint32Array([next(), next(), next(), next()]);
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  u32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5), 7), 9) >>> 0;
    const t = s[1]! << 9;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  }

  /** A float in [0, 1). */
  float(): number {
    return this.u32() / 0x1_0000_0000;
  }

  /** An integer in [lo, hi). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo));
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.u32() & 0xff;
    return out;
  }

  /** A random unicast, locally administered MAC, as the kernel's eth_random_addr() makes. */
  mac(): string {
    // The six bytes drawn in order as bytes(6) would, joined from a table: no array per address.
    const b0 = (this.u32() & 0xfe) | 0x02;
    const h = HEX_BYTE;
    return `${h[b0]}:${h[this.u32() & 0xff]}:${h[this.u32() & 0xff]}:${h[this.u32() & 0xff]}:${h[this.u32() & 0xff]}:${h[this.u32() & 0xff]}`;
  }
}

/** Two lower-case hex digits per byte value. */
const HEX_BYTE: readonly string[] = Array.from({ length: 256 }, (_, v) => v.toString(16).padStart(2, '0'));

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** FNV-1a, so that a string seed ("default") is as reproducible as a number. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** splitmix32: a stream of well-mixed words from one seed (seeds xoshiro, keys SipHash). */
export function splitmix32(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}
