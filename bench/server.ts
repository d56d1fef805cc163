// The lab server as a user meets it: a client round trip (`knetlab sh -c 'ip link'`) against
// `node -e 0`; a command on a host holding a 10,000-service kube-proxy ruleset; and the restart
// that replays the journal at that size. Figures only (medians of a few runs).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { firstSyncPayload } from './kube-proxy.js';

const MAIN = resolve(dirname(fileURLToPath(import.meta.url)), '../src/cli/main.js');

function timed(args: string[], env: NodeJS.ProcessEnv, cwd: string): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { env, cwd, encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`bench: ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export function serverBench(runs = 9): void {
  const home = mkdtempSync(join(tmpdir(), 'knetlab-bench-server-'));
  const env = { ...process.env, KNETLAB_HOME: home, KNETLAB_CLOCK: 'manual' };
  const knetlab = (...a: string[]) => timed([MAIN, ...a], env, home);
  try {
    knetlab('sh', '-c', 'ip link add br0 type bridge'); // starts the server
    const bare: number[] = [];
    const trip: number[] = [];
    for (let i = 0; i < runs; i++) {
      bare.push(timed(['-e', '0'], env, home));
      trip.push(knetlab('sh', '-c', 'ip link'));
    }
    console.log(
      `server: client round trip for ip link ${median(trip).toFixed(0)} ms, node -e 0 ${median(bare).toFixed(0)} ms, ratio ${(median(trip) / median(bare)).toFixed(2)} (target <= 1.5)`,
    );

    const payload = firstSyncPayload(10_000);
    writeFileSync(join(home, 'rules.txt'), payload);
    const restore = knetlab('sh', '-c', 'iptables-restore --noflush rules.txt');
    const onBig: number[] = [];
    for (let i = 0; i < runs; i++) onBig.push(knetlab('sh', '-c', 'iptables -t nat -S KUBE-MARK-MASQ'));
    const command = median(onBig) - median(bare);
    console.log(
      `server: 10,000-service ruleset (${payload.split('\n').length - 1} lines): restore ${restore.toFixed(0)} ms; then iptables -t nat -S KUBE-MARK-MASQ ${median(onBig).toFixed(0)} ms round trip, ${command.toFixed(0)} ms beyond node -e 0 (target < 50)`,
    );

    knetlab('server', 'stop');
    const restart = knetlab('sh', '-c', 'iptables -t nat -S KUBE-MARK-MASQ');
    const replayed = /replayed (\d+) journal records in (\d+) ms/g;
    const log = [...readFileSync(join(home, 'server.log'), 'utf8').matchAll(replayed)].at(-1);
    console.log(
      `server: restart at that size: first answer after ${restart.toFixed(0)} ms (journal replay ${log?.[2] ?? '?'} ms for ${log?.[1] ?? '?'} records; no snapshot, see README)`,
    );
  } finally {
    spawnSync(process.execPath, [MAIN, 'server', 'stop'], { env });
    rmSync(home, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) serverBench();
