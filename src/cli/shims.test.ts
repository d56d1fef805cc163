// knetlab shims end to end: the executables a seed's script finds on its PATH run knetlab's kind,
// kubectl and docker against one lab server (a temporary KNETLAB_HOME, manual clock).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { shimScript } from './shims.js';

const MAIN = resolve(dirname(fileURLToPath(import.meta.url)), 'main.js');
const home = mkdtempSync(join(tmpdir(), 'knetlab-shims-'));
const env = { ...process.env, KNETLAB_HOME: home, KNETLAB_CLOCK: 'manual' };
after(() => {
  spawnSync(process.execPath, [MAIN, 'server', 'stop'], { env, encoding: 'utf8' });
  rmSync(home, { recursive: true, force: true });
});

test('PATH=DIR:$PATH runs kind, kubectl and docker from the shims against one lab', () => {
  const dir = join(home, 'bin');
  const w = spawnSync(process.execPath, [MAIN, 'shims', dir], { env, encoding: 'utf8' });
  assert.equal(w.status, 0, w.stderr);
  assert.equal(w.stdout, ['kind', 'kubectl', 'docker'].map((f) => join(dir, f)).join('\n') + '\n');
  assert.equal(statSync(join(dir, 'docker')).mode & 0o777, 0o755);
  assert.match(readFileSync(join(dir, 'kubectl'), 'utf8'), /^#!\/bin\/sh\n.*\nexec \/\S+ \/\S+\/main\.js kubectl "\$@"\n$/s);
  const r = spawnSync(
    'bash',
    [
      '-c',
      "kind create cluster --name x && kubectl get nodes && docker ps --format '{{.Names}} {{.Image}}' && docker exec x-control-plane bash -c 'hostname | tr a-z A-Z'",
    ],
    {
      env: { ...env, PATH: `${dir}:${process.env.PATH}` },
      cwd: home,
      encoding: 'utf8',
    },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.match(
    r.stdout,
    /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\nx-control-plane\s+Ready\s+control-plane\s+0s\s+v1\.36\.1\nx-control-plane kindest\/node:v1\.36\.1\nX-CONTROL-PLANE\n$/,
  );
});

test('knetlab shims refuses a directory with a newline, and paths that would need quoting', () => {
  const r = spawnSync(process.execPath, [MAIN, 'shims', `${home}/a\nb`], { env, encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^knetlab shims: invalid directory ".*\\nb": it may not be empty or hold a newline or NUL\n$/);
  assert.throws(
    () => shimScript('docker', '/usr/bin/node', "/opt/it's/main.js"),
    /the path of main\.js \("\/opt\/it's\/main\.js"\) has characters a shell script would need quoted/,
  );
  assert.throws(() => shimScript('docker', '/usr/bin/no de', '/opt/main.js'), /the path of node/);
});

test('seed 000 §2.3 through the shims, its own command lines: kubectl exec -it netpod -- curl ... | grep prints the nginx title', () => {
  const dir = join(home, 'bin');
  spawnSync(process.execPath, [MAIN, 'shims', dir], { env, encoding: 'utf8' });
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
  const pods = readFileSync(join(root, 'test/seeds/000_L265.yaml'), 'utf8').replace(/^#.*\n/, '');
  const script = [
    `kind create cluster --config ${join(root, 'test/seeds/kind-000_L168.yaml')} --name myk8s >/dev/null 2>&1`,
    `cat <<EOF | kubectl create -f -\n${pods}EOF`,
    'kubectl exec -it netpod -- curl -s $(kubectl get pod nginx -o jsonpath={.status.podIP}) | grep -o "<title>.*</title>"',
    // kubectl exec -i passes a piped stdin to the command (a script for the shell)
    "echo 'hostname; cat /etc/hostname' | kubectl exec -i netpod -- sh",
  ].join('\n');
  const r = spawnSync('bash', ['-c', script], { env: { ...env, PATH: `${dir}:${process.env.PATH}` }, cwd: home, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'pod/netpod created\npod/nginx created\n<title>Welcome to nginx!</title>\nnetpod\nnetpod\n');
});
