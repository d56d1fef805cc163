// The differential harness catches a wrong kernel: with proxy_arp handling flipped, the
// proxy-arp-calico scenario no longer prints what the real kernel printed.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Sysctls } from '../kernel/index.js';
import { normalise, unifiedDiff } from '../transcript/index.js';
import { runScenario } from './scenario.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

test('a deliberately wrong proxy_arp makes the proxy-arp-calico scenario differ from the real kernel', async () => {
  const script = readFileSync(join(ROOT, 'test/scenarios/proxy-arp-calico.sh'), 'utf8');
  const real = readFileSync(join(ROOT, 'test/golden/real/proxy-arp-calico.txt'), 'utf8');
  assert.equal(unifiedDiff(real, normalise(await runScenario(script)), { from: 'real', to: 'knetlab' }), '', 'the correct kernel agrees');

  const effective = Sysctls.prototype.effective;
  Sysctls.prototype.effective = function (dev, name) {
    const v = effective.call(this, dev, name);
    return name === 'proxy_arp' ? 1 - v : v;
  };
  let wrong: string;
  try {
    wrong = normalise(await runScenario(script));
  } finally {
    Sysctls.prototype.effective = effective;
  }
  const diff = unifiedDiff(real, wrong, { from: 'real', to: 'knetlab with proxy_arp flipped' });
  assert.notEqual(diff, '');
  // The first ping now gets its ARP answered although proxy_arp is still off.
  assert.match(diff, /^\+64 bytes from 192\.168\.10\.1: icmp_seq=1/m);
});
