// The thin client: sends one command to the lab server of $KNETLAB_HOME (starting the server in the
// background when none runs) and streams its output and exit status back. Kept to Node built-ins
// and the protocol module, so a round trip costs little more than starting node.
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { createConnection, type Socket } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { shStdin } from '../server/files.js';
import { oldStoreProblem } from '../server/old-store.js';
import { clientProcess, LineReader, PROTOCOL_VERSION, type Reply, type Request } from '../server/protocol.js';

export function knetlabHome(): string {
  return process.env.KNETLAB_HOME ?? join(homedir(), '.knetlab');
}

const SOCKET_FILE = 'knetlab.sock';
const LOG_FILE = 'server.log';
const STARTUP_MS = 20_000;

/** KNETLAB_SERVER=127.0.0.1:PORT points clients at a server's --listen address instead of the socket. */
function tcpTarget(): { host: string; port: number } | undefined {
  const v = process.env.KNETLAB_SERVER;
  if (!v) return undefined;
  const m = /^(.*):(\d+)$/.exec(v);
  if (!m) throw new Error(`knetlab: KNETLAB_SERVER="${v}" is not HOST:PORT`);
  return { host: m[1]!.replace(/^\[(.*)\]$/, '$1'), port: Number(m[2]) };
}

function connect(): Promise<Socket> {
  const tcp = tcpTarget();
  return new Promise((ok, fail) => {
    const s = tcp ? createConnection(tcp.port, tcp.host) : createConnection(join(knetlabHome(), SOCKET_FILE));
    s.once('connect', () => {
      s.removeAllListeners('error');
      ok(s);
    });
    s.once('error', fail);
  });
}

function token(): string | undefined {
  if (!tcpTarget()) return undefined;
  if (process.env.KNETLAB_TOKEN) return process.env.KNETLAB_TOKEN;
  try {
    return readFileSync(join(knetlabHome(), 'server.token'), 'utf8').trim();
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts `knetlab serve` in the background (its output in server.log) and waits until it answers. */
async function startServer(): Promise<Socket> {
  const home = knetlabHome();
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const log = openSync(join(home, LOG_FILE), 'a', 0o600);
  const main = new URL('./main.js', import.meta.url).pathname;
  const { spawn } = await import('node:child_process'); // only when a server must be started
  const child = spawn(process.execPath, [main, 'serve'], { detached: true, stdio: ['ignore', log, log], env: process.env });
  closeSync(log);
  let exited = false;
  child.once('exit', () => (exited = true));
  child.unref();
  const deadline = Date.now() + STARTUP_MS;
  let triesAfterExit = 0;
  for (;;) {
    try {
      return await connect();
    } catch (e) {
      // A server that exited at once may have lost a race to another client's: give that one a moment.
      if (Date.now() > deadline || (exited && ++triesAfterExit > 25)) {
        throw new Error(
          `knetlab: the lab server did not start (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); the end of ${join(home, LOG_FILE)}:\n${tail(join(home, LOG_FILE))}`,
        );
      }
      await sleep(20);
    }
  }
}

function tail(path: string): string {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-12).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Sends `request`, streams the replies; resolves with the exit status. */
function exchange(socket: Socket, request: Request, interruptible: boolean): Promise<number> {
  return new Promise((done) => {
    let status: number | undefined;
    let interrupts = 0;
    const onInt = () => {
      if (++interrupts > 1) process.exit(130);
      if (!socket.destroyed) socket.write('{"signal":"INT"}\n');
    };
    if (interruptible) process.on('SIGINT', onInt);
    const reader = new LineReader(
      (line) => {
        let r: Reply;
        try {
          r = JSON.parse(line) as Reply;
        } catch {
          return;
        }
        if ('out' in r) process.stdout.write(r.out);
        else if ('err' in r) process.stderr.write(r.err);
        else if ('exit' in r) status = r.exit;
      },
      () => {},
    );
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => reader.push(chunk));
    socket.on('error', () => {});
    socket.on('close', () => {
      process.off('SIGINT', onInt);
      if (status === undefined) {
        process.stderr.write(
          `knetlab: lost the lab server before the command finished (not acknowledged); see ${join(knetlabHome(), LOG_FILE)}\n`,
        );
        status = 1;
      }
      done(status);
    });
    socket.write(`${JSON.stringify(request)}\n`);
  });
}

/**
 * `docker exec -i NAME CMD` reads the client's stdin: a pipe always; a terminal only for a shell
 * without -c (what is typed until Ctrl-D is its script), so `docker exec -it NODE ip a` in a
 * terminal does not wait for input it never reads.
 */
function dockerExecReads(argv: readonly string[], tty: boolean): boolean {
  if (argv[0] !== 'docker' || argv[1] !== 'exec') return false;
  const rest = argv.slice(2);
  let at = 0;
  for (; at < rest.length && rest[at]!.startsWith('-'); at++)
    if (/^(-[a-zA-Z]*[euw]|--env|--user|--workdir|--detach-keys)$/.test(rest[at]!)) at++;
  const flags = rest.slice(0, at);
  if (!flags.some((f) => f === '--interactive' || /^-[a-zA-Z]*i/.test(f))) return false;
  if (!tty) return true;
  const cmd = rest.slice(at + 1);
  return at < rest.length && /^(\/(usr\/)?bin\/)?(ba)?sh$/.test(cmd[0] ?? '') && !cmd.includes('-c');
}

/** kubectl's flags that take a value (exec's and the global ones), for finding the verb and the pod. */
const KUBECTL_VALUE_FLAGS =
  /^(-[a-zA-Z]*[cnfv]|--(container|namespace|filename|context|cluster|user|kubeconfig|request-timeout|pod-running-timeout|v))$/;

/**
 * `kubectl exec -i POD -- CMD` (and `kubectl debug -i`, `kubectl run -i`) reads the client's stdin like `docker exec -i`:
 * a pipe always; a terminal only for a shell without -c, so `kubectl exec -it POD -- ip a` does not
 * wait for input.
 */
export function kubectlExecReads(argv: readonly string[], tty: boolean): boolean {
  if (argv[0] !== 'kubectl') return false;
  const dash = argv.indexOf('--');
  const flags = dash < 0 ? argv.slice(1) : argv.slice(1, dash);
  let verb: string | undefined;
  for (let i = 0; i < flags.length; i++) {
    const a = flags[i]!;
    if (KUBECTL_VALUE_FLAGS.test(a)) i++;
    else if (!a.startsWith('-')) {
      verb = a;
      break;
    }
  }
  if (verb !== 'exec' && verb !== 'debug' && verb !== 'run') return false;
  // -i alone or in a cluster (-it, -ti), before any letter that takes the rest as its value (-c, -n)
  const shortI = (f: string) => {
    if (!/^-[a-zA-Z]/.test(f) || f.startsWith('--')) return false;
    for (const ch of f.slice(1)) {
      if (ch === 'i') return true;
      if ('cnfv'.includes(ch)) return false;
    }
    return false;
  };
  const interactive = flags.some((f) => f === '--stdin' || f === '--stdin=true' || shortI(f));
  if (!interactive) return false;
  if (!tty) return true;
  const cmd = dash < 0 ? [] : argv.slice(dash + 1);
  // a debug or run container without a command runs its image's own program: a shell, for the images one debugs with
  if (verb !== 'exec' && cmd.length === 0) return true;
  return /^(\/(usr\/)?bin\/)?(ba|z|a)?sh$/.test(cmd[0] ?? '') && !cmd.includes('-c');
}

/** Runs `argv` (family first: ['sh', '-c', 'ip link']) on the lab server, starting it if needed. */
export async function runOnServer(argv: readonly string[]): Promise<number> {
  let socket: Socket;
  try {
    socket = await connect();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (tcpTarget() || (code !== 'ENOENT' && code !== 'ECONNREFUSED')) {
      process.stderr.write(`knetlab: cannot reach the lab server: ${(e as Error).message}\n`);
      return 1;
    }
    const old = oldStoreProblem(knetlabHome());
    if (old) {
      process.stderr.write(old);
      return 1;
    }
    try {
      socket = await startServer();
    } catch (e2) {
      process.stderr.write(`${(e2 as Error).message}\n`);
      return 1;
    }
  }
  const wantsStdin =
    (argv.includes('-') && !process.stdin.isTTY) ||
    dockerExecReads(argv, process.stdin.isTTY === true) ||
    kubectlExecReads(argv, process.stdin.isTTY === true);
  const stdin = wantsStdin ? readFileSync(0) : shStdin(argv, process.cwd(), process.stdin.isTTY === true);
  const request: Request = {
    v: PROTOCOL_VERSION,
    argv: [...argv],
    cwd: process.cwd(),
    ...(stdin ? { stdin: Buffer.from(stdin).toString('base64') } : {}),
    ...(process.stdout.columns ? { cols: process.stdout.columns, rows: process.stdout.rows } : {}),
    ...(token() ? { token: token()! } : {}),
    client: clientProcess(process.pid, process.env),
  };
  return exchange(socket, request, true);
}

/** `knetlab server status|stop`. */
export async function controlServer(what: 'status' | 'stop'): Promise<number> {
  let socket: Socket;
  try {
    socket = await connect();
  } catch {
    process.stdout.write('knetlab server: not running\n');
    return what === 'stop' ? 0 : 3;
  }
  const request: Request = { v: PROTOCOL_VERSION, control: what, ...(token() ? { token: token()! } : {}) };
  const status = await exchange(socket, request, false);
  if (what === 'stop' && status === 0) {
    // Wait until it has let go of the socket, so that a next command starts a fresh one.
    for (let i = 0; i < 500; i++) {
      try {
        (await connect()).destroy();
        await sleep(10);
      } catch {
        break;
      }
    }
  }
  return status;
}
