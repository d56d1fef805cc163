// kind's extraPortMappings published for real by the lab server: this machine's own HTTP client
// reaches a NodePort inside the emulated cluster; a port already taken fails `kind create cluster`
// with Docker's words and leaves no cluster; deleting the cluster closes the port, a restart opens it.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { exchange, gather } from './by-hand.js';
import { probe, serve, SOCKET_FILE } from './server.js';

const run = (home: string, argv: string[]) => exchange(home, [JSON.stringify({ v: 1, argv, cwd: home })]);

async function start(home: string): Promise<{ running: Promise<number> }> {
  const running = serve({ home, clock: 'manual', log: () => {} });
  for (let i = 0; i < 500 && !(await probe(join(home, SOCKET_FILE))); i++) await new Promise((r) => setTimeout(r, 10));
  return { running };
}

const stop = async (home: string, server: { running: Promise<number> }) => {
  await exchange(home, ['{"v":1,"control":"stop"}']);
  await server.running;
};

/** A port of this machine that nothing listens on, held by `hold` until released. */
async function machinePort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return { port: (server.address() as { port: number }).port, server };
}

const free = async () => {
  const { port, server } = await machinePort();
  await new Promise((r) => server.close(r));
  return port;
};

function get(port: number): Promise<{ status: number; body: string } | { error: string }> {
  return new Promise((done) => {
    const req = request({ host: '127.0.0.1', port, path: '/', timeout: 10_000, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => done({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', (e: NodeJS.ErrnoException) => done({ error: e.code ?? e.message }));
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end();
  });
}

const config = (hostPort: number) => `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes:
- role: control-plane
  extraPortMappings:
  - containerPort: 31001
    hostPort: ${hostPort}
- role: worker
`;

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 80
    nodePort: 31001
`;

test("extraPortMappings: this machine's curl localhost:PORT reaches a NodePort in the cluster; a taken port fails kind create cluster with Docker's message", async () => {
  const home = mkdtempSync(join(tmpdir(), 'knetlab-ports-'));
  const taken = await machinePort();
  let server = await start(home);
  try {
    const port = await free();
    writeFileSync(join(home, 'kind.yaml'), config(port));
    writeFileSync(join(home, 'svc.yaml'), SERVICE);
    const created = await run(home, ['kind', 'create', 'cluster', '--config', 'kind.yaml', '--name', 'myk8s']);
    assert.equal(created.exit, 0, created.err);
    assert.equal((await run(home, ['kubectl', 'create', 'deployment', 'web', '--image=nginx', '--replicas=2'])).exit, 0);
    assert.equal((await run(home, ['kubectl', 'apply', '-f', 'svc.yaml'])).exit, 0);
    // kube-proxy writes the NodePort rules within its minSyncPeriod (1 s) of virtual time, and the
    // control plane's kindnetd routes the worker's pods at its next pass (every 10 s).
    assert.equal((await run(home, ['sh', '-c', 'sleep 10'])).exit, 0);
    // docker-proxy's path: 127.0.0.1:PORT on this machine → the gateway 172.18.0.1 → the control plane's 31001 → kube-proxy's NodePort DNAT → nginx.
    const page = await get(port);
    assert.ok('status' in page, JSON.stringify(page));
    assert.equal(page.status, 200);
    assert.match(page.body, /<title>Welcome to nginx!<\/title>/);
    const ps = await run(home, ['docker', 'ps', '--format', '{{.Names}} {{.Ports}}']);
    assert.match(ps.out, new RegExp(`^myk8s-control-plane 127\\.0\\.0\\.1:\\d+->6443/tcp, 0\\.0\\.0\\.0:${port}->31001/tcp$`, 'm'));

    // Another program holds the port: docker run fails, kind deletes the nodes, nothing is left.
    writeFileSync(join(home, 'taken.yaml'), config(taken.port));
    const refused = await run(home, ['kind', 'create', 'cluster', '--config', 'taken.yaml', '--name', 'other']);
    assert.equal(refused.exit, 1);
    assert.match(
      refused.err,
      / ✗ Preparing nodes 📦 📦 \nDeleted nodes: \["other-control-plane" "other-worker"\]\nERROR: failed to create cluster: command "docker run --name other-control-plane --hostname other-control-plane --label io.x-k8s.kind.role=control-plane --privileged .* --publish=0\.0\.0\.0:\d+:31001\/TCP --publish=127\.0\.0\.1:\d+:6443\/TCP -e KUBECONFIG=\/etc\/kubernetes\/admin\.conf kindest\/node:v[\d.]+@sha256:[0-9a-f]{64}" failed with error: exit status 125\nCommand Output: [0-9a-f]{64}\n/,
    );
    assert.match(
      refused.err,
      new RegExp(
        `\\ndocker: Error response from daemon: failed to set up container networking: driver failed programming external connectivity on endpoint other-control-plane \\([0-9a-f]{64}\\): failed to bind host port for 0\\.0\\.0\\.0:${taken.port}:172\\.18\\.0\\.\\d+:31001/tcp: address already in use\\n\\nRun 'docker run --help' for more information\\n$`,
      ),
    );
    // A port another container of the lab holds: Docker's own allocator refuses it.
    const allocated = await run(home, ['kind', 'create', 'cluster', '--config', 'kind.yaml', '--name', 'third']);
    assert.match(allocated.err, new RegExp(`: Bind for 0\\.0\\.0\\.0:${port} failed: port is already allocated\\n`));
    assert.equal((await run(home, ['kind', 'get', 'clusters'])).out, 'myk8s\n');
    assert.doesNotMatch((await run(home, ['docker', 'ps', '-a'])).out, /other-|third-/);

    // The journal replays to the same lab and the port is published again; deleting the cluster closes it.
    await stop(home, server);
    server = await start(home);
    assert.match(((await get(port)) as { body: string }).body ?? '', /Welcome to nginx!/);
    assert.equal((await run(home, ['kind', 'delete', 'cluster', '--name', 'myk8s'])).exit, 0);
    assert.deepEqual(await get(port), { error: 'ECONNREFUSED' });
  } finally {
    await stop(home, server).catch(() => undefined);
    taken.server.close();
    rmSync(home, { recursive: true, force: true });
  }
});

/** A long-running command on its own connection: its output so far, Ctrl-C, and its end. */
function background(home: string, argv: string[]) {
  const socket = createConnection(join(home, SOCKET_FILE));
  const answer = gather(socket);
  let out = '';
  socket.on('data', (d: Buffer | string) => {
    for (const line of String(d).split('\n')) if (line.startsWith('{')) out += (JSON.parse(line) as { out?: string }).out ?? '';
  });
  socket.write(`${JSON.stringify({ v: 1, argv, cwd: home })}\n`);
  return {
    output: () => out,
    async until(re: RegExp): Promise<RegExpMatchArray> {
      for (let i = 0; i < 500; i++) {
        const m = re.exec(out);
        if (m) return m;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`no ${re} in ${JSON.stringify(out)}`);
    },
    interrupt: () => socket.write('{"signal":"INT"}\n'),
    answer,
  };
}

test('kubectl port-forward pod/nginx :80 listens on loopback while it runs and carries each connection into the pod; a port nothing answers loses the connection to the pod', async () => {
  const home = mkdtempSync(join(tmpdir(), 'knetlab-ports-'));
  const server = await start(home);
  try {
    assert.equal((await run(home, ['kind', 'create', 'cluster'])).exit, 0);
    assert.equal((await run(home, ['kubectl', 'run', 'nginx', '--image=nginx'])).exit, 0);
    const pf = background(home, ['kubectl', 'port-forward', 'pod/nginx', ':80']);
    const [, port] = await pf.until(/^Forwarding from 127\.0\.0\.1:(\d+) -> 80\n/);
    const page = await get(Number(port));
    assert.ok('status' in page && page.status === 200 && /Welcome to nginx!/.test(page.body), JSON.stringify(page));
    await pf.until(new RegExp(`Handling connection for ${port}\\n`));
    pf.interrupt();
    const ended = await pf.answer;
    assert.equal(ended.exit, 0);
    assert.deepEqual(await get(Number(port)), { error: 'ECONNREFUSED' });
    const idle = background(home, ['kubectl', 'port-forward', 'nginx', '0:81']);
    const [, idlePort] = await idle.until(/Forwarding from 127\.0\.0\.1:(\d+) -> 81\n/);
    assert.ok('error' in (await get(Number(idlePort))));
    const lost = await idle.answer;
    assert.equal(lost.exit, 1);
    assert.match(
      lost.err,
      /^E\d{4} \d\d:\d\d:\d\d\.\d{6} portforward\.go:424\] "Unhandled Error" err="an error occurred forwarding \d+ -> 81: error forwarding port 81 to pod [0-9a-f]{64}, uid : failed to execute portforward in network namespace \\"\/var\/run\/netns\/cni-[0-9a-f-]+\\": failed to connect to localhost:81 inside namespace \\"[0-9a-f]{64}\\", IPv4: dial tcp4 127\.0\.0\.1:81: connect: connection refused IPv6 dial tcp6: address localhost: no suitable address found "\nerror: lost connection to pod\n$/,
    );
    const bad = await run(home, ['kubectl', 'port-forward', 'pod/nginx']);
    assert.deepEqual([bad.exit, bad.err], [1, 'error: TYPE/NAME and list of ports are required for port-forward\n']);
  } finally {
    await stop(home, server).catch(() => undefined);
    rmSync(home, { recursive: true, force: true });
  }
});
