// The lab server killed with SIGKILL at 50 random points while 4 clients add addresses, routes
// and rules: after each restart every acknowledged change is there, no unacknowledged one is half
// there, and the store loads (at most a torn, unacknowledged last record is dropped). Each kill
// point is one real `knetlab serve` process; the restart that checks a kill point is the server
// the next point kills. The kill times come from a seeded RNG (KNETLAB_CRASH_SEED to replay one).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Rng } from '../sim/index.js';
import { sh } from './by-hand.js';
import { probe, SOCKET_FILE } from './server.js';

const KILLS = 50;
const CLIENTS = 4;
/** Kill times are drawn from [0, KILL_WINDOW_MS) after the clients start sending. */
const KILL_WINDOW_MS = 150;

const SERVER_JS = resolve(dirname(fileURLToPath(import.meta.url)), 'server.js');

/**
 * A server process that has loaded its modules (most of a start's cost) and serves once told to:
 * spares load while the previous kill point runs, so 51 starts cost little more than their rounds.
 */
interface Spare {
  readonly child: ChildProcess;
  readonly loaded: Promise<void>;
}

function spare(home: string): Spare {
  const program = `import { serve } from ${JSON.stringify(SERVER_JS)};
process.stdout.write('loaded\\n');
process.stdin.once('data', () => void serve({ home: ${JSON.stringify(home)}, clock: 'manual', log() {} }));`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', program], { stdio: ['pipe', 'pipe', 'inherit'] });
  const loaded = new Promise<void>((ok, fail) => {
    child.stdout!.once('data', () => ok());
    child.once('exit', (code) => fail(new Error(`a spare server exited (${code}) before it loaded`)));
  });
  loaded.catch(() => undefined); // a spare killed unused at the end
  return { child, loaded };
}

/** Makes a loaded spare the server of `home` and waits until it answers. */
async function startServer(home: string, s: Spare): Promise<ChildProcess> {
  await s.loaded;
  s.child.stdin!.write('go\n');
  for (let i = 0; i < 2000 && !(await probe(join(home, SOCKET_FILE))); i++) await new Promise((r) => setTimeout(r, 5));
  return s.child;
}

/** Change k of client c: an address, a route and a rule, all in one command. */
function change(c: number, k: number): { script: string; addr: string; route: string; rule: string } {
  const host = `${c}.${Math.floor(k / 250)}.${(k % 250) + 1}`;
  return {
    script: `ip addr add 10.${host}/32 dev d0; ip route add 172.${host}/32 dev d0; ip rule add from 10.${host} lookup ${100 + c}`,
    addr: `10.${host}`,
    route: `172.${host}`,
    rule: `from 10.${host} lookup ${100 + c}`,
  };
}

test('a server killed at 50 random points keeps every acknowledged change and none half-applied', { timeout: 300_000 }, async () => {
  const seed = Number(process.env.KNETLAB_CRASH_SEED ?? 11);
  const rng = new Rng(seed);
  const home = mkdtempSync(join(tmpdir(), 'knetlab-crash-'));
  const spares = [spare(home), spare(home)];
  const nextServer = () => {
    spares.push(spare(home));
    return startServer(home, spares.shift()!);
  };
  let server = await nextServer();
  try {
    assert.equal((await sh(home, 'ip link add d0 type bridge; ip link set d0 up')).exit, 0);
    const next = Array.from({ length: CLIENTS }, () => 0);
    /** Changes the lab must hold (acknowledged, or found whole after a restart), and those it may or may not. */
    const kept = new Set<string>();
    let unsure: { c: number; k: number }[] = [];
    let acknowledged = 0;
    for (let point = 0; point < KILLS; point++) {
      const killAt = rng.int(0, KILL_WINDOW_MS);
      let killed = false;
      const clients = Array.from({ length: CLIENTS }, async (_, c) => {
        while (!killed) {
          const k = next[c]!++;
          const a = await sh(home, change(c, k).script);
          const key = `${c}/${k}`;
          if (a.exit === 0) {
            kept.add(key);
            acknowledged++;
          } else {
            assert.equal(a.exit, undefined, `point ${point}: change ${key} failed: ${a.err}`);
            unsure.push({ c, k });
          }
        }
      });
      await new Promise((r) => setTimeout(r, killAt));
      killed = true;
      server.kill('SIGKILL');
      await Promise.all(clients);
      if (server.exitCode === null && server.signalCode === null) await new Promise((r) => server.once('exit', r));

      server = await nextServer();
      const shown = await sh(home, 'ip -4 -o addr show dev d0; ip route show; ip rule show');
      const context = `kill point ${point} (seed ${seed}, ${killAt} ms)`;
      assert.equal(shown.exit, 0, `${context}: ${shown.err}`);
      // The store loads whole: the only repair allowed is dropping a record that was being written.
      for (const line of shown.err.split('\n').filter((l) => l !== ''))
        assert.match(line, /^knetlab: dropped (the|an unfinished) last record of /, context);
      assert.deepEqual(
        readdirSync(home).filter((f) => f.endsWith('.tmp') || f.includes('.damaged-')),
        [],
        context,
      );
      const addrs = new Set([...shown.out.matchAll(/inet (\S+)\/32/g)].map((m) => m[1]!));
      const routes = new Set([...shown.out.matchAll(/^(172\.\S+) dev d0/gm)].map((m) => m[1]!));
      const rules = new Set([...shown.out.matchAll(/^\d+:\t(from .*?) ?$/gm)].map((m) => m[1]!));
      const parts = (c: number, k: number) => {
        const ch = change(c, k);
        return [addrs.has(ch.addr), routes.has(ch.route), rules.has(ch.rule)];
      };
      for (const key of kept) {
        const [c, k] = key.split('/').map(Number) as [number, number];
        assert.deepEqual(parts(c, k), [true, true, true], `${context}: acknowledged change ${key} is not all there`);
      }
      for (const { c, k } of unsure) {
        const p = parts(c, k);
        assert.ok(
          p.every((x) => x) || p.every((x) => !x),
          `${context}: unacknowledged change ${c}/${k} is half there: ${JSON.stringify(p)}`,
        );
        if (p[0]) kept.add(`${c}/${k}`);
      }
      // Nothing else crept in.
      assert.equal(addrs.size, kept.size, context);
      unsure = [];
    }
    assert.ok(acknowledged > KILLS, `only ${acknowledged} changes were acknowledged in ${KILLS} kill points`);
  } finally {
    for (const p of [server, ...spares.map((x) => x.child)]) p.kill('SIGKILL');
    rmSync(home, { recursive: true, force: true });
  }
});
