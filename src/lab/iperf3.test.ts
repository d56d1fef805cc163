// iperf3 in nicolaka/netshoot pods (issue 14): a server pod running `iperf3 -s` and a client's
// `iperf3 -c`, over the emulated pod network in virtual time, printing iperf3's report formats.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kindCluster, netshootPod, run } from './fixtures.js';

const SERVER =
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: server\nspec:\n  containers:\n  - name: server\n    image: nicolaka/netshoot\n    command: ["iperf3", "-s"]\n';

test('iperf3 -c against a netshoot pod running iperf3 -s: the client report, the server log, a refused port', async () => {
  const lab = await kindCluster(1, `${SERVER}---\n${netshootPod('client')}`);
  lab.advance(5_000);
  const ip = (await run(lab, {}, 'kubectl', 'get', 'pod', 'server', '-o', 'jsonpath={.status.podIP}')).out;
  const clientIp = (await run(lab, {}, 'kubectl', 'get', 'pod', 'client', '-o', 'jsonpath={.status.podIP}')).out;
  const before = lab.clock.now();
  const r = await run(lab, {}, 'kubectl', 'exec', 'client', '--', 'iperf3', '-c', ip, '-t', '2');
  assert.equal(r.status, 0, r.err);
  assert.ok(lab.clock.now() - before >= 2000, 'the test takes its two seconds of virtual time');
  const port = new RegExp(
    `^\\[  5\\] local ${clientIp.replace(/\./g, '\\.')} port (\\d+) connected to ${ip.replace(/\./g, '\\.')} port 5201$`,
    'm',
  ).exec(r.out)?.[1];
  assert.ok(port, r.out);
  assert.equal(
    r.out,
    `Connecting to host ${ip}, port 5201
[  5] local ${clientIp} port ${port} connected to ${ip} port 5201
[ ID] Interval           Transfer     Bitrate         Retr  Cwnd
[  5]   0.00-1.00   sec  1.00 MBytes  8.39 Mbits/sec    0   14.1 KBytes       
[  5]   1.00-2.00   sec  1.00 MBytes  8.39 Mbits/sec    0   14.1 KBytes       
- - - - - - - - - - - - - - - - - - - - - - - - -
[ ID] Interval           Transfer     Bitrate         Retr
[  5]   0.00-2.00   sec  2.00 MBytes  8.39 Mbits/sec    0             sender
[  5]   0.00-2.00   sec  2.00 MBytes  8.39 Mbits/sec                  receiver

iperf Done.
`,
  );
  const logs = (await run(lab, {}, 'kubectl', 'logs', 'server')).out;
  assert.match(
    logs,
    new RegExp(
      `^-{59}\nServer listening on 5201 \\(test #1\\)\n-{59}\nAccepted connection from ${clientIp.replace(/\./g, '\\.')}, port \\d+\n\\[  5\\] local ${ip.replace(/\./g, '\\.')} port 5201 connected to ${clientIp.replace(/\./g, '\\.')} port ${port}\n\\[ ID\\] Interval           Transfer     Bitrate\n`,
    ),
  );
  assert.match(
    logs,
    /\n\[ ID\] Interval {11}Transfer {5}Bitrate {9}Retr\n\[ {2}5\] {3}0\.00-2\.00 {3}sec {2}2\.00 MBytes {2}8\.39 Mbits\/sec {18}receiver\n-{59}\nServer listening on 5201 \(test #2\)\n-{59}\n$/,
  );
  // the server listens dual-stack, as iperf3's socket on ::
  assert.match((await run(lab, {}, 'kubectl', 'exec', 'server', '--', 'ss', '-tln')).out, /\n\S+ +0 +\d+ +\*:5201 +\*:\*/);

  const refused = await run(lab, {}, 'kubectl', 'exec', 'client', '--', 'iperf3', '-c', ip, '-p', '5202');
  assert.equal(refused.status, 1);
  assert.match(
    refused.err,
    /^iperf3: error - unable to connect to server - server may have stopped running or use a different port, firewall issue, etc\.: Connection refused\n/,
  );
  const reverse = await run(lab, {}, 'kubectl', 'exec', 'client', '--', 'iperf3', '-c', ip, '-R');
  assert.match(reverse.err, /^knetlab: iperf3 -R \(reverse tests\) is not emulated\n/);
  const none = await run(lab, {}, 'kubectl', 'exec', 'client', '--', 'iperf3');
  assert.match(
    none.err,
    /^iperf3: parameter error - must either be a client \(-c\) or server \(-s\)\n\nUsage: iperf3 \[-s\|-c host\] \[options\]\n/,
  );
});

test('iperf3 -u: datagrams at 1 Mbit/s, and the loss the server counts when netfilter drops every tenth', async () => {
  const lab = await kindCluster(1, `${SERVER}---\n${netshootPod('client')}`);
  lab.advance(5_000);
  const ip = (await run(lab, {}, 'kubectl', 'get', 'pod', 'server', '-o', 'jsonpath={.status.podIP}')).out;
  const drop = [
    'iptables',
    '-A',
    'INPUT',
    '-p',
    'udp',
    '--dport',
    '5201',
    '-m',
    'statistic',
    '--mode',
    'nth',
    '--every',
    '10',
    '--packet',
    '5',
    '-j',
    'DROP',
  ];
  assert.equal((await run(lab, {}, 'kubectl', 'exec', 'server', '--', ...drop)).status, 0);
  const r = await run(lab, {}, 'kubectl', 'exec', 'client', '--', 'iperf3', '-u', '-c', ip, '-t', '2');
  assert.equal(r.status, 0, r.err);
  const table = r.out.slice(r.out.indexOf('[ ID]'));
  assert.equal(
    table,
    `[ ID] Interval           Transfer     Bitrate         Total Datagrams
[  5]   0.00-1.00   sec   127 KBytes  1.04 Mbits/sec  90  
[  5]   1.00-2.00   sec   129 KBytes  1.05 Mbits/sec  91  
- - - - - - - - - - - - - - - - - - - - - - - - -
[ ID] Interval           Transfer     Bitrate         Jitter    Lost/Total Datagrams
[  5]   0.00-2.00   sec   256 KBytes  1.05 Mbits/sec  0.000 ms  0/181 (0%)  sender
[  5]   0.00-2.00   sec   230 KBytes   944 Kbits/sec  0.000 ms  18/181 (9.9%)  receiver

iperf Done.
`,
  );
  const logs = (await run(lab, {}, 'kubectl', 'logs', 'server')).out;
  assert.match(
    logs,
    /\n\[ ID\] Interval {11}Transfer {5}Bitrate {9}Jitter {4}Lost\/Total Datagrams\n\[ {2}5\] {3}0\.00-1\.00 {3}sec {3}115 KBytes {3}938 Kbits\/sec {2}0\.000 ms {2}9\/90 \(10%\) {2}\n/,
  );
});
