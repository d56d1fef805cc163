import assert from 'node:assert/strict';
import { test } from 'node:test';
import { columns } from './coreutils.js';

test('columns() lays names out as GNU ls -C does on an 80-column terminal (tabs every 8)', () => {
  // seed 000: `ls /opt/cni/bin/` on a node with flannel's bridge and flannel binaries added
  assert.equal(
    columns(['bridge', 'flannel', 'host-local', 'loopback', 'portmap', 'ptp']),
    'bridge\tflannel  host-local  loopback  portmap\tptp\n',
  );
  const many = Array.from({ length: 30 }, (_, i) => `file-number-${i}`);
  const lines = columns(many).split('\n').filter(Boolean);
  assert.ok(lines.length > 1 && lines.every((l) => l.replace(/\t/g, '        ').length < 90));
  assert.ok(lines[0]!.startsWith('file-number-0') && lines[1]!.startsWith('file-number-1'), 'filled down each column first');
  assert.equal(columns([]), '');
});
