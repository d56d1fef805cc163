// kubectl cp (issue 14 item 1): files and directories to and from a pod's container through tar in
// the container, the client's side being the client's files; tar's messages as the image's tar
// prints them (BusyBox in netshoot and Alpine, GNU in Debian's nginx), an image without tar, a
// pod or local file that does not exist.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { captured, standardLab, type Lab } from './index.js';
import { kindConfig } from './fixtures.js';

const ROOT = new URL('../../../', import.meta.url);
const PODS = readFileSync(new URL('test/seeds/000_L265.yaml', ROOT), 'utf8');
const text = (d: Uint8Array | undefined) => (d === undefined ? undefined : new TextDecoder().decode(d));

async function cluster(): Promise<Lab> {
  const lab = standardLab();
  const r = await run(lab, ['kind', 'create', 'cluster', '--config', 'kind.yaml'], { 'kind.yaml': kindConfig(1) });
  assert.equal(r.status, 0, r.err);
  for (const argv of [
    ['kubectl', 'create', '-f', 'pods.yaml'],
    ['kubectl', 'run', 'web', '--image=nginx'],
    ['kubectl', 'run', 'who', '--image=traefik/whoami'],
  ]) {
    const c = await run(lab, argv, { 'pods.yaml': PODS });
    assert.equal(c.status, 0, c.err);
  }
  return lab;
}

async function run(lab: Lab, argv: string[], files: Record<string, string> = {}) {
  const c = captured({ files });
  const r = await lab.run(argv, c);
  return { status: r.status, out: c.out, err: c.err, written: c.written, made: c.made };
}

test("kubectl cp copies a file out of a pod and into one; tar's notice goes to stdout as kubectl wires it", async () => {
  const lab = await cluster();
  const out = await run(lab, ['kubectl', 'cp', 'netpod:/etc/hostname', 'hostname.txt']);
  assert.deepEqual([out.status, out.out, out.err], [0, "tar: removing leading '/' from member names\n", '']);
  assert.equal(text(out.written.get('hostname.txt')), 'netpod\n');
  // Debian's nginx has GNU tar, whose notice reads differently
  const gnu = await run(lab, ['kubectl', 'cp', 'default/web:/etc/hostname', 'web-hostname']);
  assert.deepEqual([gnu.status, gnu.out], [0, "tar: Removing leading `/' from member names\n"]);
  assert.equal(text(gnu.written.get('web-hostname')), 'web\n');
  // into an existing directory: the file keeps its name there (kubectl's `test -d` first)
  const into = await run(lab, ['kubectl', 'cp', 'notes.txt', 'netpod:/tmp'], { 'notes.txt': 'hello from the client\n' });
  assert.deepEqual([into.status, into.out, into.err], [0, '', '']);
  const cat = await run(lab, ['kubectl', 'exec', 'netpod', '--', 'cat', '/tmp/notes.txt']);
  assert.equal(cat.out, 'hello from the client\n');
  // to a new name
  await run(lab, ['kubectl', 'cp', 'notes.txt', 'netpod:/root/renamed'], { 'notes.txt': 'second\n' });
  assert.equal((await run(lab, ['kubectl', 'exec', 'netpod', '--', 'cat', '/root/renamed'])).out, 'second\n');
});

test('kubectl cp copies a directory into a pod and back out, subdirectories included', async () => {
  const lab = await cluster();
  const site = { 'site/index.html': '<h1>hi</h1>\n', 'site/css/a.css': 'body{}\n' };
  const c = captured({ files: site });
  const into = await lab.run(['kubectl', 'cp', 'site', 'nginx:/tmp/site'], c);
  assert.deepEqual([into.status, c.err], [0, '']);
  // the journal keeps the listings read, so that a replay copies the same tree
  assert.deepEqual(into.record?.dirs, { site: ['css', 'index.html'], 'site/css': ['a.css'] });
  const ls = await run(lab, ['kubectl', 'exec', 'nginx', '--', 'cat', '/tmp/site/index.html', '/tmp/site/css/a.css']);
  assert.equal(ls.out, '<h1>hi</h1>\nbody{}\n');
  const out = await run(lab, ['kubectl', 'cp', 'nginx:/tmp/site', 'copy']);
  assert.deepEqual([out.status, out.out, out.err], [0, "tar: removing leading '/' from member names\n", '']);
  assert.deepEqual([...out.written.keys()].sort(), ['copy/css/a.css', 'copy/index.html']);
  assert.equal(text(out.written.get('copy/css/a.css')), 'body{}\n');
  assert.ok(out.made.has('copy/css'));
});

test('kubectl cp fails as kubectl does: no tar in the image, no such file in the container, no such pod, no local file', async () => {
  const lab = await cluster();
  const noTar = await run(lab, ['kubectl', 'cp', 'who:/etc/hostname', 'x']);
  assert.equal(noTar.status, 1);
  assert.match(
    noTar.err,
    /^error: Internal error occurred: error executing command in container: .*exec: "tar": executable file not found in \$PATH: unknown\n$/,
  );
  assert.equal(noTar.written.size, 0);
  const missing = await run(lab, ['kubectl', 'cp', 'netpod:/nope', 'x']);
  assert.deepEqual(
    [missing.status, missing.out, missing.err],
    [1, 'tar: /nope: No such file or directory\ntar: error exit delayed from previous errors\n', 'command terminated with exit code 1\n'],
  );
  const gnuMissing = await run(lab, ['kubectl', 'cp', 'web:/nope', 'x']);
  assert.deepEqual([gnuMissing.status, gnuMissing.err], [2, 'command terminated with exit code 2\n']);
  assert.match(
    gnuMissing.out,
    /tar: \/nope: Cannot stat: No such file or directory\ntar: Exiting with failure status due to previous errors\n$/,
  );
  const ghost = await run(lab, ['kubectl', 'cp', 'ghost:/etc/hostname', 'x']);
  assert.deepEqual([ghost.status, ghost.err], [1, 'Error from server (NotFound): pods "ghost" not found\n']);
  const local = await run(lab, ['kubectl', 'cp', 'absent.txt', 'netpod:/tmp/']);
  assert.deepEqual([local.status, local.err], [1, "error: absent.txt doesn't exist in local filesystem\n"]);
  const badContainer = await run(lab, ['kubectl', 'cp', '-c', 'nope', 'netpod:/etc/hostname', 'x']);
  assert.deepEqual(
    [badContainer.status, badContainer.err],
    [1, 'Error from server (BadRequest): container nope is not valid for pod netpod\n'],
  );
  const both = await run(lab, ['kubectl', 'cp', 'netpod:/a', 'nginx:/b']);
  assert.deepEqual([both.status, both.err], [1, 'error: one of src or dest must be a local file specification\n']);
  const neither = await run(lab, ['kubectl', 'cp', 'a', 'b']);
  assert.deepEqual([neither.status, neither.err], [1, 'error: one of src or dest must be a remote file specification\n']);
  const format = await run(lab, ['kubectl', 'cp', 'a/b/c:/x', 'y']);
  assert.deepEqual([format.status, format.err], [1, 'error: filespec must match the canonical format: [[namespace/]pod:]file/path\n']);
  // A file copied out onto a directory: untarAll's os.Create of the directory
  const ontoDir = await run(lab, ['kubectl', 'cp', 'netpod:/etc/hostname', '.'], { 'here.txt': '' });
  assert.deepEqual([ontoDir.status, ontoDir.err], [1, 'error: open .: is a directory\n']);
  const noDir = await run(lab, ['kubectl', 'cp', 'notes.txt', 'netpod:/no/such/dir/f'], { 'notes.txt': 'x' });
  assert.deepEqual(
    [noDir.status, noDir.out, noDir.err],
    [1, '', "tar: can't change directory to '/no/such/dir': No such file or directory\ncommand terminated with exit code 1\n"],
  );
});
