// kubectl cp and docker cp of directories through the lab server: the client's real files are read
// and written by the server (listing and making directories too), and the journal keeps the
// listings, so that a restarted server replays the copy into the container the same.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { exchange } from './by-hand.js';
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

test("kubectl cp and docker cp move directory trees between this machine's disk and the lab; a restarted server replays them", async () => {
  const home = mkdtempSync(join(tmpdir(), 'knetlab-cp-'));
  let server = await start(home);
  try {
    assert.equal((await run(home, ['kind', 'create', 'cluster'])).exit, 0);
    assert.equal((await run(home, ['kubectl', 'run', 'np', '--image=nicolaka/netshoot', '--', 'sleep', 'infinity'])).exit, 0);
    mkdirSync(join(home, 'site', 'css'), { recursive: true });
    writeFileSync(join(home, 'site', 'index.html'), '<h1>hi</h1>\n');
    writeFileSync(join(home, 'site', 'css', 'a.css'), 'body{}\n');
    const into = await run(home, ['kubectl', 'cp', 'site', 'np:/tmp/site']);
    assert.deepEqual([into.exit, into.err], [0, '']);
    const out = await run(home, ['kubectl', 'cp', 'np:/tmp/site', 'copy']);
    assert.deepEqual([out.exit, out.out], [0, "tar: removing leading '/' from member names\n"]);
    assert.equal(readFileSync(join(home, 'copy', 'css', 'a.css'), 'utf8'), 'body{}\n');
    assert.equal(readFileSync(join(home, 'copy', 'index.html'), 'utf8'), '<h1>hi</h1>\n');
    const node = await run(home, ['docker', 'cp', 'kind-control-plane:/etc/cni/net.d', 'netd']);
    assert.deepEqual([node.exit, node.err], [0, '']);
    assert.ok(existsSync(join(home, 'netd', '10-kindnet.conflist')));

    // the journal holds the listing: the files reach the container again after a restart, the client's tree gone meanwhile
    rmSync(join(home, 'site'), { recursive: true });
    await stop(home, server);
    server = await start(home);
    const cat = await run(home, ['kubectl', 'exec', 'np', '--', 'cat', '/tmp/site/css/a.css']);
    assert.deepEqual([cat.exit, cat.out], [0, 'body{}\n']);
  } finally {
    await stop(home, server).catch(() => undefined);
    rmSync(home, { recursive: true, force: true });
  }
});
