// iperf3's unit_snprintf and report lines, against the shapes iperf3 prints.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bwLine, bwRetransCwndLine, bwRetransLine, bwUdpLine, bwUdpSenderLine, g2, unitSnprintf } from './format.js';

test('unit_snprintf: four places, bytes in 1024 steps and bits in 1000 steps', () => {
  assert.equal(unitSnprintf(0, 'A'), '0.00 Byte');
  assert.equal(unitSnprintf(14480, 'A'), '14.1 KByte');
  assert.equal(unitSnprintf(1048576, 'A'), '1.00 MByte');
  assert.equal(unitSnprintf(10 * 1048576, 'A'), '10.0 MByte');
  assert.equal(unitSnprintf(1.17e9, 'A'), '1.09 GByte');
  assert.equal(unitSnprintf(1048576, 'a'), '8.39 Mbit');
  assert.equal(unitSnprintf(117.9e6, 'a'), ' 943 Mbit');
  assert.equal(unitSnprintf(124.9e3, 'a'), ' 999 Kbit');
  // 999.6 Kbit: below the next step, printed with no decimals ("1000-1024 fits in 4 places")
  assert.equal(unitSnprintf(124.95e3, 'a'), '1000 Kbit');
});

test('report lines: the interval column widths and the tails', () => {
  assert.equal(
    bwRetransCwndLine(5, 0, 1, 1048576, 0, 14480),
    '[  5]   0.00-1.00   sec  1.00 MBytes  8.39 Mbits/sec    0   14.1 KBytes       \n',
  );
  assert.equal(bwLine(5, 9, 10, 1048576), '[  5]   9.00-10.00  sec  1.00 MBytes  8.39 Mbits/sec                  \n');
  assert.equal(
    bwRetransLine(5, 0, 10, 10485760, 0, 'sender'),
    '[  5]   0.00-10.00  sec  10.0 MBytes  8.39 Mbits/sec    0             sender\n',
  );
  assert.equal(bwLine(5, 0, 10, 10485760, 'receiver'), '[  5]   0.00-10.00  sec  10.0 MBytes  8.39 Mbits/sec                  receiver\n');
});

test("UDP lines and C's %.2g for the loss percentage", () => {
  assert.deepEqual([0, 0.11, 1.5, 12.34, 100, 0.00001234].map(g2), ['0', '0.11', '1.5', '12', '1e+02', '1.2e-05']);
  assert.equal(bwUdpSenderLine(5, 0, 1, 91 * 1448, 91), '[  5]   0.00-1.00   sec   129 KBytes  1.05 Mbits/sec  91  \n');
  assert.equal(
    bwUdpLine(5, 0, 10, 905 * 1448, 0, 0, 905, 'sender'),
    '[  5]   0.00-10.00  sec  1.25 MBytes  1.05 Mbits/sec  0.000 ms  0/905 (0%)  sender\n',
  );
  assert.equal(
    bwUdpLine(5, 0, 1, 80 * 1448, 0.0123, 10, 90),
    '[  5]   0.00-1.00   sec   113 KBytes   927 Kbits/sec  0.012 ms  10/90 (11%)  \n',
  );
});
