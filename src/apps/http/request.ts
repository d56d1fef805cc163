// HTTP/1.x requests as a server reads them off a connection: request line, header fields in the
// order sent, the body by Content-Length; several requests in a row on a kept-alive connection.
// Enough for the emulated workload servers (whoami, nginx); chunked bodies are not read.

export interface HttpRequest {
  readonly method: string;
  /** The request target as sent (`/`, `/api?x=1`). */
  readonly target: string;
  /** `HTTP/1.1`, `HTTP/1.0`. */
  readonly proto: string;
  /** Header fields in the order received, names as sent. */
  readonly headers: readonly (readonly [string, string])[];
  readonly body: string;
  /** The request line as received (nginx's $request). */
  readonly line: string;
}

/** The first value of a header field (names compare case-insensitively). */
export function header(r: HttpRequest, name: string): string | undefined {
  const n = name.toLowerCase();
  return r.headers.find(([k]) => k.toLowerCase() === n)?.[1];
}

/** Whether the connection stays open after the response (HTTP/1.1 unless `Connection: close`; 1.0 only with keep-alive). */
export function keepAlive(r: HttpRequest): boolean {
  const c = header(r, 'Connection')?.toLowerCase();
  return r.proto === 'HTTP/1.1' ? c !== 'close' : c === 'keep-alive';
}

/** Accumulates a connection's bytes and hands out each complete request. */
export class RequestReader {
  private buf = '';

  /** Adds received bytes; returns the requests now complete. */
  push(data: Uint8Array): HttpRequest[] {
    // latin1: one char per byte, so lengths are byte counts (Content-Length).
    for (const b of data) this.buf += String.fromCharCode(b);
    const out: HttpRequest[] = [];
    for (;;) {
      const end = this.buf.indexOf('\r\n\r\n');
      if (end < 0) break;
      const lines = this.buf.slice(0, end).split('\r\n');
      const line = lines[0]!;
      const m = /^(\S+) (\S+) (HTTP\/\d\.\d)$/.exec(line);
      const headers = lines.slice(1).map((l) => {
        const colon = l.indexOf(':');
        return colon < 0 ? ([l, ''] as const) : ([l.slice(0, colon), l.slice(colon + 1).trim()] as const);
      });
      const length = Number(headers.find(([k]) => k.toLowerCase() === 'content-length')?.[1] ?? 0) || 0;
      if (this.buf.length < end + 4 + length) break;
      const body = this.buf.slice(end + 4, end + 4 + length);
      this.buf = this.buf.slice(end + 4 + length);
      out.push({ method: m?.[1] ?? '', target: m?.[2] ?? '', proto: m?.[3] ?? 'HTTP/1.0', headers, body, line });
    }
    return out;
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** Common Log Format's time (`05/Dec/2026:12:00:00 +0000`): nginx's $time_local in a UTC container. */
export function clfTime(d: Date): string {
  return `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

/** Go's log package's default prefix (`2026/12/05 12:00:00 `), in a UTC container. */
export function goLogTime(d: Date): string {
  return `${d.getUTCFullYear()}/${two(d.getUTCMonth() + 1)}/${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

/** Bytes of a latin1-shaped string, for TcpConn.send. */
export function bytes(s: string): Uint8Array {
  const a = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) a[i] = s.charCodeAt(i) & 0xff;
  return a;
}

export { imfFixdate } from '../../wire/index.js';
