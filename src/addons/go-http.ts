// A Go program's HTTP server (net/http's ServeMux on one port) for the emulated add-ons: each
// request gets its handler's answer, or http.NotFound for a path no handler has, written as
// net/http writes it (wire/http.ts goServe, which the node daemons' servers use too). One request
// per connection: the server closes after answering.
import type { HostNetwork, ProcessHandle } from '../host/index.js';
import { type GoReply, goServe } from '../wire/index.js';

export interface GoHandlerResult {
  readonly status?: number;
  readonly body: string;
  /** A Content-Type the handler sets itself; without one net/http sniffs the body. */
  readonly type?: string;
}

const utf8 = new TextEncoder();
const latin1 = new TextDecoder('latin1');

/** Serves `handlers` (by exact path) on TCP `port` of `sandbox` (the node itself when undefined). */
export function serveGoHttp(
  host: HostNetwork,
  sandbox: string | undefined,
  port: number,
  now: () => number,
  handlers: Readonly<Record<string, () => GoHandlerResult>>,
): ProcessHandle {
  const started = now();
  const mux = {
    handlers: Object.fromEntries(
      Object.entries(handlers).map(([path, h]) => [
        path,
        (): GoReply => {
          const { type, ...r } = h();
          return type ? { ...r, headers: { 'Content-Type': type } } : r;
        },
      ]),
    ),
  };
  return host.listen(sandbox, {
    proto: 'tcp',
    port,
    onStream: (buffered) => {
      const reply = goServe(mux, latin1.decode(buffered), new Date(now()), now() - started);
      return reply === undefined ? undefined : { used: buffered.length, reply: utf8.encode(reply), close: true };
    },
  });
}
