// What every ipset type stores per element beside the element itself: the extensions (timeout,
// packet/byte counters, comment) and the bytes comments add to "Size in memory"
// (ip_set_core.c: ip_set_init_comment(), ip_set_timeout_set/get(), ip_set_init_counter()).
import type { Clock } from '../../sim/index.js';
import type { IpsetElem } from './ipset-types.js';

/** A stored element with its extensions and nomatch flag. */
export interface Entry {
  elem: IpsetElem;
  key: string;
  nomatch: boolean;
  /** Absolute expiry in ms; undefined = permanent (or a set without timeouts). */
  expires: number | undefined;
  packets: number;
  bytes: number;
  comment: string | undefined;
}

/** The extensions one add request sets (timeout, comment, counters). */
export interface AdtExt {
  timeout: number | undefined;
  comment: string | undefined;
  packets: number | undefined;
  bytes: number | undefined;
}

/** sizeof(struct ip_set_comment_rcu) without the string. */
const COMMENT_RCU_SIZE = 16;
const IPSET_MAX_COMMENT_SIZE = 255;

function timeoutToExpiry(now: number, seconds: number | undefined): number | undefined {
  return seconds === undefined || seconds === 0 ? undefined : now + seconds * 1000;
}

/** ip_set_timeout_get(): whole seconds left, never 0 for a live timed entry. */
export function remaining(now: number, expires: number | undefined): number {
  if (expires === undefined) return 0;
  const t = Math.floor((expires - now) / 1000);
  return t <= 0 ? 1 : t;
}

export function expired(now: number, expires: number | undefined): boolean {
  return expires !== undefined && now > expires;
}

/** A set's extension settings and the comment bytes it holds (set->ext_size). */
export class Extensions {
  /** Bytes of comment strings (set->ext_size). */
  size = 0;

  constructor(
    readonly timeout: number | undefined,
    readonly counters: boolean,
    readonly comment: boolean,
    private readonly clock: Clock,
  ) {}

  /** ip_set_ext_destroy(): frees an entry's comment. */
  destroy(e: Entry): void {
    if (e.comment !== undefined) {
      this.size -= COMMENT_RCU_SIZE + e.comment.length + 1;
      e.comment = undefined;
    }
  }

  private initComment(e: Entry, comment: string | undefined): void {
    if (!this.comment) return;
    this.destroy(e);
    if (!comment) return;
    const c = comment.length > IPSET_MAX_COMMENT_SIZE ? comment.slice(0, IPSET_MAX_COMMENT_SIZE) : comment;
    e.comment = c;
    this.size += COMMENT_RCU_SIZE + c.length + 1;
  }

  /** Sets an entry's extensions from an add request. */
  init(e: Entry, ext: AdtExt): void {
    if (this.counters) {
      if (ext.bytes !== undefined) e.bytes = ext.bytes;
      if (ext.packets !== undefined) e.packets = ext.packets;
    }
    this.initComment(e, ext.comment);
    if (this.timeout !== undefined) e.expires = timeoutToExpiry(this.clock.now(), ext.timeout);
  }
}
