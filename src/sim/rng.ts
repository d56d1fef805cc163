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

  /**
   * `n` bytes drawn as bytes(n) would, as 2n lower-case hex digits in one flat string (a string
   * grown by += is a tree of n concatenations, ~1 KB for a 64-digit container ID, kept as long as the ID).
   */
  hex(n: number): string {
    // one code buffer per length, reused: a kubelet asks for three IDs per pod
    const codes = (HEX_BUFFERS[n] ??= new Uint16Array(2 * n));
    for (let i = 0; i < n; i++) {
      const b = this.u32() & 0xff;
      codes[2 * i] = hexCode(b >> 4);
      codes[2 * i + 1] = hexCode(b & 15);
    }
    return String.fromCharCode.apply(null, codes as unknown as number[]);
  }

  /** A random unicast, locally administered MAC, as the kernel's eth_random_addr() makes. */
  mac(): string {
    // The six bytes drawn in order as bytes(6) would, written as character codes: one flat
    // 17-character string (a template literal leaves a tree of concatenations, ~4 objects, kept
    // for the device's life).
    const b0 = (this.u32() & 0xfe) | 0x02;
    const b1 = this.u32() & 0xff;
    const b2 = this.u32() & 0xff;
    const b3 = this.u32() & 0xff;
    const b4 = this.u32() & 0xff;
    const b5 = this.u32() & 0xff;
    const x = hexCode;
    return String.fromCharCode(
      x(b0 >> 4),
      x(b0 & 15),
      58,
      x(b1 >> 4),
      x(b1 & 15),
      58,
      x(b2 >> 4),
      x(b2 & 15),
      58,
      x(b3 >> 4),
      x(b3 & 15),
      58,
      x(b4 >> 4),
      x(b4 & 15),
      58,
      x(b5 >> 4),
      x(b5 & 15),
    );
  }
}

/** The character code of a lower-case hex digit. */
function hexCode(nibble: number): number {
  return nibble < 10 ? 48 + nibble : 87 + nibble;
}

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

/** hex()'s code buffers by byte count. */
const HEX_BUFFERS: Uint16Array[] = [];
