// HTTP/1.1 responses as Go's net/http writes them, for the emulated Go servers (traefik/whoami,
// CoreDNS's health, ready and metrics endpoints, flanneld's healthz): the status line, the header
// fields the handler set (sorted, as Header.WriteSubset writes them), then chunkWriter's extraHeader
// in its fixed order — Date, Content-Length, a sniffed Content-Type, Connection.

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** RFC 9110 IMF-fixdate (`Sat, 05 Dec 2026 12:00:00 GMT`), the Date header's form. */
export function imfFixdate(d: Date): string {
  return `${DAYS[d.getUTCDay()]}, ${two(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} GMT`;
}

/** http.StatusText for the codes the emulated servers answer (a whoami health check may be set to any). */
const STATUS_TEXT: Readonly<Record<number, string>> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  418: "I'm a teapot",
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export interface GoResponse {
  readonly status: number;
  readonly body: string;
  /** Header fields the handler set itself (w.Header().Set), e.g. promhttp's Content-Type. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly date: Date;
  /** `Connection: close` (an HTTP/1.1 request that asked for it). */
  readonly close?: boolean;
  /** An HTTP/1.0 request: writeStatusLine's `HTTP/1.0`; `keepAlive`: it asked for keep-alive (`Connection: keep-alive`). */
  readonly http10?: { readonly keepAlive: boolean };
  /** A HEAD request: the header fields only. */
  readonly head?: boolean;
}

/**
 * The bytes of a response. A body with no Content-Type of the handler's own is sniffed
 * (http.DetectContentType): the servers here write only text, so `text/plain; charset=utf-8`.
 * Body lengths are UTF-16 lengths: the emulated servers' bodies are ASCII.
 */
export function goHttpResponse(r: GoResponse): string {
  const own = Object.keys(r.headers ?? {})
    .sort()
    .map((k) => `${k}: ${r.headers![k]}\r\n`)
    .join('');
  const sniffed = r.body === '' || r.headers?.['Content-Type'] !== undefined ? '' : 'Content-Type: text/plain; charset=utf-8\r\n';
  const close = r.close ? 'Connection: close\r\n' : r.http10?.keepAlive ? 'Connection: keep-alive\r\n' : '';
  // writeStatusLine: a code StatusText does not know is written as "status code N"
  const status = `${r.status} ${STATUS_TEXT[r.status] ?? `status code ${r.status}`}`;
  return `${r.http10 ? 'HTTP/1.0' : 'HTTP/1.1'} ${status}\r\n${own}Date: ${imfFixdate(r.date)}\r\nContent-Length: ${r.body.length}\r\n${sniffed}${close}\r\n${r.head ? '' : r.body}`;
}

/** http.NotFound, which ServeMux answers for a path no handler has: http.Error's fields and text. */
export function goNotFound(date: Date, close = false): string {
  return goHttpResponse({
    status: 404,
    body: '404 page not found\n',
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
    date,
    close,
  });
}

/** One request as a Go handler sees it (the parts the emulated handlers read). */
export interface GoRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly now: Date;
  /** Milliseconds since the server started (Go's monotonic clock reading). */
  readonly upMs: number;
}

/** What a handler writes: its status (200 when unset), body and the header fields it sets itself. */
export interface GoReply {
  readonly status?: number;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A ServeMux: handlers by exact path, and what answers any other path (http.NotFound when it gives nothing). */
export interface GoMux {
  readonly handlers: Readonly<Record<string, (r: GoRequest) => GoReply>>;
  readonly fallback?: (r: GoRequest) => GoReply | undefined;
}

/** http.Error's reply: the text and a newline, as text/plain with nosniff. */
export function goError(status: number, text: string, headers?: Readonly<Record<string, string>>): GoReply {
  return {
    status,
    body: `${text}\n`,
    headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
  };
}

/**
 * The response to one HTTP/1.1 request whose head is `head`, served by `mux` as net/http would
 * (`Connection: close` echoed, as the kubelet's probes ask; a HEAD gets the header fields only).
 * Undefined while the head has not all arrived.
 */
export function goServe(mux: GoMux, head: string, now: Date, upMs: number): string | undefined {
  if (!head.includes('\r\n\r\n')) return undefined;
  const close = /^Connection:[ \t]*close[ \t]*\r?$/im.test(head);
  const line = /^([A-Z]+) (\S+) HTTP/.exec(head);
  const method = line?.[1] ?? 'GET';
  const target = line?.[2] ?? '/';
  const q = target.indexOf('?');
  const path = q < 0 ? target : target.slice(0, q);
  const req: GoRequest = { method, path, query: new URLSearchParams(q < 0 ? '' : target.slice(q + 1)), now, upMs };
  const handler = Object.hasOwn(mux.handlers, path) ? mux.handlers[path] : undefined;
  const r = handler ? handler(req) : mux.fallback?.(req);
  if (!r) return goNotFound(now, close);
  return goHttpResponse({
    status: r.status ?? 200,
    body: r.body,
    ...(r.headers ? { headers: r.headers } : {}),
    date: now,
    close,
    ...(method === 'HEAD' ? { head: true } : {}),
  });
}
