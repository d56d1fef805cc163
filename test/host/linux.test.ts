// The host interface's contract on the linux backend: real namespaces of this machine (root,
// Linux). Skips loudly where it cannot run; KNETLAB_REQUIRE_REALLAB=1 (CI) makes that an error.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after } from 'node:test';
import { LinuxHost, realLabUnavailableReason } from '../../src/reallab/index.js';
import { conformance } from './conformance.js';

const unavailable = realLabUnavailableReason();
if (unavailable !== undefined) {
  const message = `LINUX HOST SKIPPED: ${unavailable}; the host interface is NOT being checked on real namespaces`;
  if (process.env['KNETLAB_REQUIRE_REALLAB'] === '1') throw new Error(`${message} (KNETLAB_REQUIRE_REALLAB=1)`);
  process.stderr.write(`\n*** ${message} ***\n\n`);
}

/** A kernel module is loaded, built in, or loadable on demand. */
function kernelHas(module: string, path: string): boolean {
  const release = execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim();
  const modules = `/lib/modules/${release}`;
  const listed = (file: string) => existsSync(join(modules, file)) && readFileSync(join(modules, file), 'utf8').includes(`/${path}`);
  return existsSync(`/sys/module/${module}`) || listed('modules.builtin') || listed('modules.dep');
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
  // What this machine's kernel has: IPVS only with the ip_vs module, ipip and dummy only with their drivers.
  has: {
    ipvs: kernelHas('ip_vs', 'net/netfilter/ipvs'),
    ipip: kernelHas('ipip', 'net/ipv4/ipip.ko'),
    dummy: kernelHas('dummy', 'drivers/net/dummy.ko'),
    // the kernel has NFQUEUE, but a reader needs a netlink socket the tools backend does not open
    nfqueue: false,
  },
});

after(() => {
  if (unavailable) return;
  // Every lab host was closed: none of them is left registered on the machine.
  const left = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => made.includes(l.split(' ')[0]!));
  assert.deepEqual(left, []);
});
