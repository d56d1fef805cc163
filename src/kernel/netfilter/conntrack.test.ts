import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventQueue, Rng } from '../../sim/index.js';
import { ConntrackTable, invert, type Tuple } from './conntrack.js';

test('ConntrackTable.find() tells apart tuples that differ in any one field, high or low half', () => {
  const rng = new Rng(7);
  const ct = new ConntrackTable(new EventQueue());
  const fields = ['src', 'dst', 'sport', 'dport'] as const;
  for (let k = 0; k < 2000; k++) {
    const t: Tuple = { proto: rng.int(0, 2) ? 6 : 17, src: rng.u32(), dst: rng.u32(), sport: rng.int(0, 65536), dport: rng.int(0, 65536) };
    const conn = ct.create(t);
    if (!ct.confirm(conn)) continue; // a random clash with an earlier connection
    assert.equal(ct.find(t)?.conn, conn);
    assert.equal(ct.find(invert(t))?.dir, 'reply');
    for (const f of fields) {
      const bits = f === 'src' || f === 'dst' ? 32 : 16;
      const flip = 1 << rng.int(0, bits);
      const other = Object.assign({}, t, { [f]: (t[f] ^ flip) >>> 0 });
      const hit = ct.find(other);
      assert.ok(hit === undefined || hit.conn !== conn || hit.dir !== 'original', `${f} ^ ${flip} found the same connection`);
    }
    assert.equal(ct.find(Object.assign({}, t, { proto: t.proto === 6 ? 17 : 6 }))?.conn === conn, false);
  }
});
