// dig in a netshoot pod against the cluster's CoreDNS, compared byte for byte with what dig 9.18
// prints for the same reply (testdata/dig/*.txt; the query id, COOKIE, query time and date
// normalised). RECORD_DIG=1 (with bind9-dnsutils' dig installed) re-records them: each reply the
// emulated dig got is handed, with the real query's id and cookie, to the real dig from a UDP
// socket on 127.0.0.1, and the real output is stored.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { lastReplyIn } from '../apps/dns/index.js';
import { decodeDns } from '../wire/index.js';
import { kindCluster, run } from './fixtures.js';

const OBJECTS = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  clusterIP: 10.96.100.10
  selector:
    app: web
  ports:
  - name: http
    port: 80
    targetPort: 80
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: db
spec:
  replicas: 2
  selector:
    matchLabels:
      app: db
  template:
    metadata:
      labels:
        app: db
    spec:
      containers:
      - name: db
        image: nginx
---
apiVersion: v1
kind: Service
metadata:
  name: db
spec:
  clusterIP: None
  selector:
    app: db
  ports:
  - name: mysql
    port: 3306
    targetPort: 80
---
apiVersion: v1
kind: Pod
metadata:
  name: netpod
spec:
  containers:
  - name: netshoot
    image: nicolaka/netshoot
    command: ["sleep", "infinity"]
`;

/** Each case: a golden's name and dig's arguments in the pod. */
const CASES: readonly [string, string[]][] = [
  ['a', ['@10.96.0.10', 'web.default.svc.cluster.local']],
  ['srv', ['@10.96.0.10', '_http._tcp.web.default.svc.cluster.local', 'SRV']],
  ['ptr', ['@10.96.0.10', '-x', '10.96.100.10']],
  ['nxdomain', ['@10.96.0.10', 'nope.default.svc.cluster.local']],
  ['headless', ['@10.96.0.10', 'db.default.svc.cluster.local']],
  ['search', ['+search', 'web']],
  ['short', ['+short', 'web.default.svc.cluster.local']],
  ['upstream', ['example.com']],
];

const ROOT = new URL('../../../', import.meta.url);
const GOLDEN = new URL('src/lab/testdata/dig/', ROOT);

export function normaliseDig(text: string): string {
  return text
    .replace(/id: \d+/g, 'id: ID')
    .replace(/; COOKIE: [0-9a-f]+/g, '; COOKIE: COOKIE')
    .replace(/;; Query time: \d+ msec/g, ';; Query time: N msec')
    .replace(/;; WHEN: .*/g, ';; WHEN: DATE');
}

function realDig(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => execFile('dig', args, (e, stdout) => (e && !stdout ? reject(e) : resolve(stdout))));
}

test('dig in a netshoot pod prints A, SRV, PTR, NXDOMAIN, headless, +search, +short and forwarded answers as dig 9.18 does', async () => {
  const lab = await kindCluster(1, OBJECTS);
  const record = process.env.RECORD_DIG === '1';
  let sock: dgram.Socket | undefined;
  let port = 0;
  let podNs: Parameters<typeof lastReplyIn>[0] | undefined;
  if (record) {
    const pod = lab.kind.get('kind')!.cluster.store.get('pods', 'default', 'netpod');
    const node = lab.kind.node((pod.spec as { nodeName: string }).nodeName)!;
    const c = node.kubelet!.container('default', 'netpod', 'netshoot')!;
    podNs = node.host.session.host.netns(c.netns!)!;
    sock = dgram.createSocket('udp4');
    sock.on('message', (m, from) => {
      const reply = new Uint8Array(lastReplyIn(podNs!)!);
      // the real query's id, and its cookie where the emulated one was echoed
      reply[0] = m[0]!;
      reply[1] = m[1]!;
      const q = decodeDns(new Uint8Array(m));
      const sent = decodeDns(reply).edns?.cookie;
      if (q.edns?.cookie && sent) {
        const at = Buffer.from(reply).indexOf(Buffer.from(sent));
        reply.set(q.edns.cookie, at);
      }
      sock!.send(reply, from.port, from.address);
    });
    await new Promise<void>((r) => sock!.bind(0, '127.0.0.1', () => r()));
    port = sock.address().port;
    mkdirSync(GOLDEN, { recursive: true });
  }
  try {
    for (const [name, args] of CASES) {
      const r = await run(lab, {}, 'kubectl', 'exec', 'netpod', '--', 'dig', ...args);
      assert.equal(r.status, 0, `${name}: ${r.err}`);
      const file = new URL(`${name}.txt`, GOLDEN);
      if (record) {
        // the real dig asks 127.0.0.1:PORT; its banner and SERVER line are put back to the pod's
        const server = args.find((a) => a.startsWith('@'))?.slice(1) ?? '10.96.0.10';
        const realArgs = [
          `@127.0.0.1`,
          '-p',
          String(port),
          ...args
            .filter((a) => !a.startsWith('@'))
            .map((a) => (a === 'web' ? 'web.default.svc.cluster.local' : a === '+search' ? '+nosearch' : a)),
        ];
        let out = await realDig(realArgs);
        out = out
          .replace(`<<>> ${realArgs.join(' ')}`, `<<>> ${args.join(' ')}`)
          .replaceAll(`127.0.0.1#${port}(127.0.0.1)`, `${server}#53(${server})`);
        if (!args.some((a) => a.startsWith('@'))) out = out.replace('; (1 server found)\n', '');
        out = out.replace(/DiG 9\.18\.\d+-\S+/, 'DiG 9.18.49');
        writeFileSync(file, normaliseDig(out));
      }
      assert.equal(normaliseDig(r.out), readFileSync(file, 'utf8'), name);
    }
  } finally {
    sock?.close();
  }
});
