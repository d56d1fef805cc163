// The host interface's contract on the linux backend: real namespaces of this machine (root,
// Linux). Skips loudly where it cannot run; KNETLAB_REQUIRE_REALLAB=1 (CI) makes that an error.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after } from 'node:test';
import { LinuxHost, realLabUnavailableReason } from '../../src/reallab/index.js';
import { conformance } from './conformance.js';

const unavailable = realLabUnavailableReason();
if (unavailable !== undefined) {
  const message = `LINUX HOST SKIPPED: ${unavailable}; the host interface is NOT being checked on real namespaces`;
  if (process.env['KNETLAB_REQUIRE_REALLAB'] === '1') throw new Error(`${message} (KNETLAB_REQUIRE_REALLAB=1)`);
  process.stderr.write(`\n*** ${message} ***\n\n`);
}

const made: string[] = [];
conformance({
  name: 'LinuxHost',
  unavailable,
  create: () => {
    const h = new LinuxHost();
    made.push(h.registered);
    return h;
  },
  // What this machine's kernel has: IPVS only with the ip_vs module; ipip only with its driver.
  has: { ipvs: existsSync('/proc/net/ip_vs'), ipip: existsSync('/sys/module/ipip') },
});

after(() => {
  if (unavailable) return;
  // Every lab host was closed: none of them is left registered on the machine.
  const left = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n').filter((l) => made.includes(l.split(' ')[0]!));
  assert.deepEqual(left, []);
});
