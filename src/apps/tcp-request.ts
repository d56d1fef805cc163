// One request over an emulated TCP connection, as a client program makes it: connect, send once
// connected, gather what comes back until the peer ends it, the reply is whole, or the program's
// timeout passes in virtual time (the clock is run meanwhile). curl, wget and the resolvers' TCP
// retry each decide only what "whole" means and how to word a failure.
import { tcpOf, type Netns } from '../kernel/index.js';
import type { Ipv4 } from '../wire/index.js';

export interface TcpRequestResult {
  /** Every byte the peer sent. */
  readonly data: Uint8Array;
  /** The connection was established. */
  readonly connected: boolean;
  /** It ended (peer's end, a whole reply, or an error) before the timeout; a timed-out one is closed. */
  readonly done: boolean;
  /** The first error the connection reported (ECONNREFUSED, ETIMEDOUT...). */
  readonly errno?: string;
  /** The virtual time when it ended, or when the timeout passed. */
  readonly endedAt: number;
}

export interface TcpRequestOptions {
  readonly sport?: number;
  /** Virtual milliseconds from now until the program gives up. */
  readonly timeoutMs: number;
  /** Whether what arrived so far is a whole reply: the program then closes the connection itself. */
  readonly complete?: (data: Uint8Array) => boolean;
}

/** Sends `request` to dst:port from `ns`. A connect() the kernel refuses at once throws its KernelError. */
export function tcpRequest(ns: Netns, dst: Ipv4, port: number, request: () => Uint8Array, o: TcpRequestOptions): TcpRequestResult {
  const clock = ns.kernel.clock;
  const limit = clock.now() + o.timeoutMs;
  let data = new Uint8Array(0);
  let connected = false;
  let done = false;
  let errno: string | undefined;
  let endedAt = limit;
  const end = (): void => {
    done = true;
    endedAt = clock.now();
  };
  const conn = tcpOf(ns).connect(dst, port, o.sport === undefined ? {} : { sport: o.sport }, {
    onConnect(c) {
      connected = true;
      c.send(request());
    },
    onData(c, chunk) {
      const all = new Uint8Array(data.length + chunk.length);
      all.set(data);
      all.set(chunk, data.length);
      data = all;
      if (!done && o.complete?.(data)) {
        end();
        c.close();
      }
    },
    onEnd(c) {
      if (!done) end();
      c.close();
    },
    onError(_c, e) {
      errno ??= e;
      if (!done) end();
    },
  });
  for (let next = clock.nextAt(); !done && next !== undefined && next <= limit; next = clock.nextAt()) clock.runUntil(next);
  if (!done) {
    clock.runUntil(limit);
    conn.close();
  }
  return { data, connected, done, ...(errno === undefined ? {} : { errno }), endedAt };
}
