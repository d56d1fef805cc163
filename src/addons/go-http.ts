// A Go program's HTTP server (net/http's ServeMux on one port) for the emulated add-ons: each
// request gets its handler's answer, or http.NotFound for a path no handler has, written as
// net/http writes it (wire/http.ts). One request per connection: the server closes after answering.
import type { HostNetwork, ProcessHandle } from '../host/index.js';
import { goHttpResponse, goNotFound } from '../wire/index.js';

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
  return host.listen(sandbox, {
    proto: 'tcp',
    port,
    onStream: (buffered) => {
      const head = latin1.decode(buffered);
      if (!head.includes('\r\n\r\n')) return undefined;
      const date = new Date(now());
      // the kubelet's probes ask for `Connection: close` (keep-alives off), which net/http echoes
      const close = /^Connection:[ \t]*close[ \t]*\r?$/im.test(head);
      const path = /^[A-Z]+ ([^\s?]+)\S* HTTP/.exec(head)?.[1];
      const handler = path === undefined ? undefined : Object.hasOwn(handlers, path) ? handlers[path] : undefined;
      let reply: string;
      if (handler) {
        const { status = 200, body, type } = handler();
        reply = goHttpResponse({ status, body, ...(type ? { headers: { 'Content-Type': type } } : {}), date, close });
      } else reply = goNotFound(date, close);
      return { used: buffered.length, reply: utf8.encode(reply), close: true };
    },
  });
}
