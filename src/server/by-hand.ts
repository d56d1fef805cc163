// The lab server's protocol spoken by hand, as the server's tests speak it: request lines on a
// fresh connection, and the replies gathered until the server closes it.
import { createConnection, type Socket } from 'node:net';
import { join } from 'node:path';
import { SOCKET_FILE } from './server.js';

/** What came back; no `exit` means the command was never acknowledged (the server went away). */
export interface Answer {
  out: string;
  err: string;
  exit?: number;
}

/** The replies on `socket` until it closes (a connection error ends it the same way). */
export function gather(socket: Socket): Promise<Answer> {
  return new Promise((done) => {
    const a: Answer = { out: '', err: '' };
    let buf = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      buf += d;
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const r = JSON.parse(buf.slice(0, nl)) as { out?: string; err?: string; exit?: number };
        buf = buf.slice(nl + 1);
        a.out += r.out ?? '';
        a.err += r.err ?? '';
        if (r.exit !== undefined) a.exit = r.exit;
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => done(a));
  });
}

/** Sends raw request lines to HOME's server on a new connection. */
export function exchange(home: string, lines: readonly string[]): Promise<Answer> {
  const s = createConnection(join(home, SOCKET_FILE));
  const answer = gather(s);
  s.write(lines.map((l) => `${l}\n`).join(''));
  return answer;
}

/** `knetlab sh [--host HOST] -c SCRIPT` run from HOME. */
export function sh(home: string, script: string, host?: string): Promise<Answer> {
  const argv = ['sh', ...(host === undefined ? [] : ['--host', host]), '-c', script];
  return exchange(home, [JSON.stringify({ v: 1, argv, cwd: home })]);
}
