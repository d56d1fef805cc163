// The same component code on both backends: a two-node flannel overlay built through the host
// interface must leave the emulated and the real kernel in the same state, and carry a ping
// from a pod on one node to a pod on the other.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SimHost, type HostNetwork } from '../../src/host/index.js';
import { LinuxHost, realLabUnavailableReason } from '../../src/reallab/index.js';
import { unifiedDiff } from '../../src/transcript/index.js';
import { buildOverlay, podIp, snapshot } from './overlay.js';

const unavailable = realLabUnavailableReason();
if (unavailable !== undefined && process.env['KNETLAB_REQUIRE_REALLAB'] === '1')
  throw new Error(`LINUX HOST SKIPPED: ${unavailable} (KNETLAB_REQUIRE_REALLAB=1)`);

async function overlay(h: HostNetwork): Promise<{ state: string; ping: number }> {
  try {
    const pods = buildOverlay(h, { nodes: 2, podsPerNode: 2 });
    const ping = await h.processStart(pods[0]![1]!, ['ping', '-c', '1', '-W', '2', podIp(1, 1)]).wait();
    return { state: snapshot(h), ping: ping.status };
  } finally {
    h.close();
  }
}

test('a flannel overlay built through the host interface leaves sim and linux in the same state', {
  skip: unavailable ?? false,
}, async () => {
  const sim = await overlay(new SimHost());
  const linux = await overlay(new LinuxHost());
  assert.deepEqual([sim.ping, linux.ping], [0, 0], 'a pod on node0 pings a pod on node1 through flannel.1');
  const diff = unifiedDiff(linux.state, sim.state, { from: 'linux', to: 'sim' });
  assert.ok(diff === '', `the emulated kernel differs from the real one:\n${diff}`);
});
