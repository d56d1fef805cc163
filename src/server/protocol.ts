// The lab server's wire protocol, shared by the thin client and the server: one JSON object per
// line in each direction. Kept free of imports so the client's module graph stays tiny.
//
// client -> server   first line: a Request; later lines: {"signal":"INT"} (Ctrl-C)
// server -> client   {"out":TEXT} {"err":TEXT} ... then {"exit":STATUS}
//
// The server reads and writes the client's files itself, relative to the client's working
// directory: it runs as the same user on the same machine (the socket is 0600; TCP is loopback
// only and needs the user's token), so it can do so synchronously, with the real errors, and
// without guessing in advance which files a script will read.

export const PROTOCOL_VERSION = 1;
/** A request line longer than this is refused (stdin in base64; a 150,000-line restore payload is ~8 MB). */
export const MAX_LINE = 256 * 1024 * 1024;

export interface RunRequest {
  readonly v: 1;
  /** The family and its arguments: ['sh', '-c', 'ip link']. */
  readonly argv: string[];
  /** The client's working directory (absolute): the command's relative paths start there. */
  readonly cwd: string;
  readonly stdin?: string;
  readonly cols?: number;
  readonly rows?: number;
  /** Required on a TCP connection (--listen): the contents of $KNETLAB_HOME/server.token. */
  readonly token?: string;
  /** The client process: its PID and the kubeconfig file its kubectl would load (kubectl -v logs them). */
  readonly client?: { readonly pid?: number; readonly kubeconfig?: string };
}

/** The kubeconfig kubectl loads in this environment: $KUBECONFIG's first entry, else $HOME/.kube/config. */
export function kubeconfigPath(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const first = env.KUBECONFIG?.split(':').find((p) => p !== '');
  if (first) return first;
  return env.HOME ? `${env.HOME.replace(/\/+$/, '')}/.kube/config` : undefined;
}

/** The RunRequest's `client` for a process: its PID and the kubeconfig its kubectl would load. */
export function clientProcess(pid: number, env: Readonly<Record<string, string | undefined>>): NonNullable<RunRequest['client']> {
  const kubeconfig = kubeconfigPath(env);
  return kubeconfig === undefined ? { pid } : { pid, kubeconfig };
}

export interface ControlRequest {
  readonly v: 1;
  readonly control: 'status' | 'stop';
  readonly token?: string;
}

export type Request = RunRequest | ControlRequest;

export type Reply = { readonly out: string } | { readonly err: string } | { readonly exit: number };

/** The request on a line, or why it is not one (in words fit for the client's terminal). */
export function parseRequest(line: string): Request | { error: string } {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return { error: 'malformed request: not JSON' };
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { error: 'malformed request: not an object' };
  const r = v as Record<string, unknown>;
  if (r.v !== PROTOCOL_VERSION)
    return { error: `malformed request: protocol version ${JSON.stringify(r.v)} (this server speaks ${PROTOCOL_VERSION})` };
  if (r.token !== undefined && typeof r.token !== 'string') return { error: 'malformed request: field "token" is not a string' };
  if (r.control !== undefined) {
    if (r.control !== 'status' && r.control !== 'stop') return { error: `malformed request: unknown control ${JSON.stringify(r.control)}` };
    return r as unknown as ControlRequest;
  }
  if (!Array.isArray(r.argv) || r.argv.length === 0 || !r.argv.every((a) => typeof a === 'string'))
    return { error: 'malformed request: field "argv" is not a non-empty list of strings' };
  if (typeof r.cwd !== 'string' || !r.cwd.startsWith('/')) return { error: 'malformed request: field "cwd" is not an absolute path' };
  if (r.stdin !== undefined && typeof r.stdin !== 'string') return { error: 'malformed request: field "stdin" is not a string' };
  if (r.client !== undefined) {
    const c = r.client as Record<string, unknown> | null;
    if (typeof c !== 'object' || c === null || Array.isArray(c)) return { error: 'malformed request: field "client" is not an object' };
    if (c.pid !== undefined && !(Number.isInteger(c.pid) && (c.pid as number) > 0))
      return { error: 'malformed request: field "client.pid" is not a process ID' };
    if (c.kubeconfig !== undefined && typeof c.kubeconfig !== 'string')
      return { error: 'malformed request: field "client.kubeconfig" is not a string' };
  }
  for (const k of ['cols', 'rows'] as const) {
    if (r[k] !== undefined && !(Number.isInteger(r[k]) && (r[k] as number) >= 0))
      return { error: `malformed request: field "${k}" is not a size` };
  }
  return r as unknown as RunRequest;
}

/** Splits a byte stream into lines; a line over MAX_LINE is reported once and the rest of it dropped. */
export class LineReader {
  private buf = '';
  private overflow = false;

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly onTooLong: () => void,
  ) {}

  push(chunk: string): void {
    let start = 0;
    for (let nl = chunk.indexOf('\n'); nl >= 0; nl = chunk.indexOf('\n', start)) {
      const part = chunk.slice(start, nl);
      start = nl + 1;
      if (this.overflow) {
        this.overflow = false;
        this.buf = '';
        continue;
      }
      const line = this.buf + part;
      this.buf = '';
      this.onLine(line);
    }
    if (this.overflow) return;
    this.buf += chunk.slice(start);
    if (this.buf.length > MAX_LINE) {
      this.buf = '';
      this.overflow = true;
      this.onTooLong();
    }
  }
}
