// The process tools' table formats against the seed's own outputs (seed 000 lsns -p 1650, crictl ps).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { smartcolsTable, tabwriter } from './index.js';

const LSNS = ['NS', 'TYPE', 'NPROCS', 'PID', 'USER', 'COMMAND'].map((name) => ({ name, hint: { NS: 10, TYPE: 5, NPROCS: 5, PID: 5 }[name] ?? 0, right: ['NS', 'NPROCS', 'PID'].includes(name) }));

test('lsns widths: PID widens to its hint of 5 once a cell is wider than the header (seed 000 lsns -p 1650), not when all are narrower (lsns -p 1)', () => {
  assert.equal(smartcolsTable(LSNS, [['4026531834', 'time', '17', '1', 'root', '/sbin/init'], ['4026532923', 'cgroup', '15', '1', 'root', '/sbin/init'], ['4026533599', 'net', '2', '1650', '65535', '/pause']]),
    '        NS TYPE   NPROCS   PID USER  COMMAND\n4026531834 time       17     1 root  /sbin/init\n4026532923 cgroup     15     1 root  /sbin/init\n4026533599 net         2  1650 65535 /pause\n');
  // TYPE too: "time" and "net" fit the header, yet one is as wide as it, so the hint (5) applies
  assert.match(smartcolsTable(LSNS, [['4026531834', 'time', '17', '1', 'root', '/sbin/init']]), /^ {8}NS TYPE  NPROCS/);
  assert.equal(smartcolsTable(LSNS, [['4026531834', 'time', '17', '1', 'root', '/sbin/init'], ['4026532923', 'cgroup', '15', '1', 'root', '/sbin/init']]),
    '        NS TYPE   NPROCS PID USER COMMAND\n4026531834 time       17   1 root /sbin/init\n4026532923 cgroup     15   1 root /sbin/init\n');
});

test('crictl tabwriter: cells padded to max(20, widest + 3), the last one bare (seed 000 crictl ps)', () => {
  assert.equal(tabwriter([['CONTAINER', 'IMAGE', 'CREATED', 'NAME'], ['c1ee2fe4ca048', 'e286c635d1232', 'About a minute ago', 'myweb2-netshoot']]),
    'CONTAINER           IMAGE               CREATED              NAME\nc1ee2fe4ca048       e286c635d1232       About a minute ago   myweb2-netshoot\n');
});
