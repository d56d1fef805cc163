import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FilesError, NodeFiles } from './files.js';

function errno(fn: () => void): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof FilesError, String(e));
    return `${e.code} ${e.message}`;
  }
  return 'no error';
}

test('NodeFiles.write() needs the parent directory and stamps the virtual time', () => {
  let t = 5;
  const fs = new NodeFiles(() => t);
  assert.equal(
    errno(() => fs.write('/etc/cni/net.d/10-kindnet.conflist', '{}')),
    "ENOENT ENOENT: no such file or directory, open '/etc/cni/net.d/10-kindnet.conflist'",
  );
  fs.mkdirp('/etc/cni/net.d');
  t = 9;
  fs.write('/etc/cni/net.d/10-kindnet.conflist', '{}\n');
  assert.equal(fs.readText('/etc/cni/net.d/10-kindnet.conflist'), '{}\n');
  assert.deepEqual(fs.stat('/etc/cni/net.d/10-kindnet.conflist'), { type: 'file', size: 3, mode: 0o644, mtimeMs: 9 });
  assert.equal(fs.stat('/etc/cni/net.d')!.mtimeMs, 9);
  assert.equal(fs.stat('/etc')!.mtimeMs, 5);
  assert.equal(
    errno(() => fs.write('/etc/cni', 'x')),
    "EISDIR EISDIR: illegal operation on a directory, open '/etc/cni'",
  );
  assert.equal(
    errno(() => fs.write('/etc/cni/net.d/10-kindnet.conflist/x', 'x')),
    "ENOTDIR ENOTDIR: not a directory, open '/etc/cni/net.d/10-kindnet.conflist/x'",
  );
  assert.equal(fs.read('/etc/cni/net.d/10-kindnet.conflist/x'), undefined);
});

test('NodeFiles keeps a written buffer from later changes of the caller and the mode of a file it rewrites', () => {
  const fs = new NodeFiles(() => 0);
  const buf = new Uint8Array([1, 2, 3]);
  fs.write('/bin', buf, { mode: 0o755 });
  buf[0] = 9;
  assert.deepEqual([...fs.read('/bin')!], [1, 2, 3]);
  fs.write('/bin', 'x');
  assert.equal(fs.stat('/bin')!.mode, 0o755);
});

test('NodeFiles.list() is sorted bytewise and undefined for a file or nothing', () => {
  const fs = new NodeFiles(() => 0);
  fs.mkdirp('/opt/cni/bin');
  for (const p of ['ptp', 'host-local', 'portmap', 'loopback', 'Z']) fs.write(`/opt/cni/bin/${p}`, '');
  assert.deepEqual(fs.list('/opt/cni/bin'), ['Z', 'host-local', 'loopback', 'portmap', 'ptp']);
  assert.deepEqual(fs.list('/'), ['opt']);
  assert.equal(fs.list('/opt/cni/bin/ptp'), undefined);
  assert.equal(fs.list('/nope'), undefined);
  assert.deepEqual(fs.list('/opt/./cni//bin/../bin'), fs.list('/opt/cni/bin'));
});

test('NodeFiles.listFiles() gives the regular files of a directory with their bytes, in list() order', () => {
  const fs = new NodeFiles(() => 0);
  fs.mkdirp('/run/ipam/10.0.0.9');
  for (const [p, text] of [
    ['lock', ''],
    ['10.0.0.3', 'b'],
    ['10.0.0.10', 'a'],
  ] as const)
    fs.write(`/run/ipam/${p}`, text);
  const listed = fs.listFiles('/run/ipam')!;
  assert.deepEqual(
    listed.map(([n, d]) => [n, new TextDecoder().decode(d)]),
    [
      ['10.0.0.10', 'a'],
      ['10.0.0.3', 'b'],
      ['lock', ''],
    ],
  );
  assert.equal(listed[1]![1], fs.read('/run/ipam/10.0.0.3'));
  // unsorted: the same files, in no promised order
  assert.deepEqual(
    fs
      .listFiles('/run/ipam', { sorted: false })!
      .map(([n]) => n)
      .sort(),
    ['10.0.0.10', '10.0.0.3', 'lock'],
  );
  assert.equal(fs.listFiles('/run/ipam/lock'), undefined);
  assert.equal(fs.listFiles('/nope'), undefined);
});

test('NodeFiles.eachFile() visits the regular files of a directory with their bytes, not the directories', () => {
  const fs = new NodeFiles(() => 0);
  fs.mkdirp('/run/ipam/10.0.0.9');
  fs.write('/run/ipam/10.0.0.3', 'b');
  fs.write('/run/ipam/lock', '');
  const seen: [string, string][] = [];
  assert.equal(
    fs.eachFile('/run/ipam', (n, d) => seen.push([n, new TextDecoder().decode(d)])),
    true,
  );
  assert.deepEqual(
    seen.sort((a, b) => (a[0] < b[0] ? -1 : 1)),
    [
      ['10.0.0.3', 'b'],
      ['lock', ''],
    ],
  );
  assert.equal(
    fs.eachFile('/run/ipam/lock', () => assert.fail('not a directory')),
    false,
  );
  assert.equal(
    fs.eachFile('/nope', () => assert.fail('no directory')),
    false,
  );
});

test('NodeFiles.mkdirp() refuses a file in the way as mkdir -p does', () => {
  const fs = new NodeFiles(() => 0);
  fs.write('/f', '');
  assert.equal(
    errno(() => fs.mkdirp('/f')),
    "EEXIST EEXIST: file already exists, mkdir '/f'",
  );
  assert.equal(
    errno(() => fs.mkdirp('/f/g')),
    "ENOTDIR ENOTDIR: not a directory, mkdir '/f/g'",
  );
  fs.mkdirp('/d/e');
  fs.mkdirp('/d/e');
  assert.equal(fs.stat('/d')!.type, 'dir');
  assert.equal(
    errno(() => fs.mkdirp('relative')),
    "EINVAL EINVAL: invalid argument, mkdir 'relative'",
  );
});

test('NodeFiles.remove() unlinks files, rmdirs empty directories, and needs recursive for full ones', () => {
  const fs = new NodeFiles(() => 0);
  fs.mkdirp('/var/lib/cni/networks/kindnet');
  fs.write('/var/lib/cni/networks/kindnet/10.244.0.2', 'id\neth0');
  assert.equal(
    errno(() => fs.remove('/var/lib/cni')),
    "ENOTEMPTY ENOTEMPTY: directory not empty, rmdir '/var/lib/cni'",
  );
  assert.equal(
    errno(() => fs.remove('/var/lib/nope')),
    "ENOENT ENOENT: no such file or directory, unlink '/var/lib/nope'",
  );
  fs.remove('/var/lib/cni/networks/kindnet/10.244.0.2');
  assert.equal(fs.exists('/var/lib/cni/networks/kindnet/10.244.0.2'), false);
  fs.remove('/var/lib/cni/networks/kindnet');
  fs.write('/var/lib/cni/x', '');
  fs.remove('/var/lib/cni', { recursive: true });
  assert.deepEqual(fs.list('/var/lib'), []);
  assert.equal(
    errno(() => fs.remove('/')),
    "EBUSY EBUSY: resource busy or locked, rmdir '/'",
  );
});

test('NodeFiles.rename() replaces as rename(2) does, which makes a temp-then-rename write atomic', () => {
  const fs = new NodeFiles(() => 0);
  fs.mkdirp('/etc/cni/net.d');
  fs.write('/etc/cni/net.d/10-kindnet.conflist', 'old');
  fs.write('/etc/cni/net.d/10-kindnet.conflist.temp', 'new');
  fs.rename('/etc/cni/net.d/10-kindnet.conflist.temp', '/etc/cni/net.d/10-kindnet.conflist');
  assert.deepEqual(fs.list('/etc/cni/net.d'), ['10-kindnet.conflist']);
  assert.equal(fs.readText('/etc/cni/net.d/10-kindnet.conflist'), 'new');
  fs.mkdirp('/a/b');
  assert.equal(
    errno(() => fs.rename('/a', '/a/b/c')),
    "EINVAL EINVAL: invalid argument, rename '/a'",
  );
  assert.equal(
    errno(() => fs.rename('/a', '/etc/cni/net.d/10-kindnet.conflist')),
    "ENOTDIR ENOTDIR: not a directory, rename '/etc/cni/net.d/10-kindnet.conflist'",
  );
  assert.equal(
    errno(() => fs.rename('/etc/cni/net.d/10-kindnet.conflist', '/a')),
    "EISDIR EISDIR: illegal operation on a directory, rename '/a'",
  );
  assert.equal(
    errno(() => fs.rename('/etc', '/a')),
    "ENOTEMPTY ENOTEMPTY: directory not empty, rename '/a'",
  );
  assert.equal(
    errno(() => fs.rename('/nope', '/x')),
    "ENOENT ENOENT: no such file or directory, rename '/nope'",
  );
  fs.rename('/a/b', '/b');
  assert.deepEqual(fs.list('/a'), []);
  assert.equal(fs.stat('/b')!.type, 'dir');
});

test('NodeFiles.write() of a rendering calls it once, at the first read or stat, with the mtime of the write; value() lasts until the next write', () => {
  let t = 5;
  const f = new NodeFiles(() => t);
  f.mkdirp('/etc');
  let calls = 0;
  f.write('/etc/a.yaml', () => (calls++, 'kind: Pod\n'), { mode: 0o600, value: { kind: 'Pod' } });
  t = 9;
  assert.equal(calls, 0);
  assert.deepEqual(f.value('/etc/a.yaml'), { kind: 'Pod' });
  assert.deepEqual(f.stat('/etc/a.yaml'), { type: 'file', size: 10, mode: 0o600, mtimeMs: 5 });
  assert.equal(f.readText('/etc/a.yaml'), 'kind: Pod\n');
  assert.deepEqual(
    f.listFiles('/etc')?.map(([n, d]) => [n, d.length]),
    [['a.yaml', 10]],
  );
  assert.equal(calls, 1);
  f.write('/etc/a.yaml', 'kind: Service\n');
  assert.equal(f.value('/etc/a.yaml'), undefined);
  assert.equal(f.readText('/etc/a.yaml'), 'kind: Service\n');
  assert.equal(f.value('/etc'), undefined);
  assert.equal(f.value('/nothing'), undefined);
});

test("NodeFiles.dirStamp() changes when a name comes or goes or a file is written, not for a subdirectory's content, and differs between directories", () => {
  const f = new NodeFiles(() => 0);
  assert.equal(f.dirStamp('/d'), undefined);
  f.mkdirp('/d/sub');
  f.mkdirp('/e');
  const s0 = f.dirStamp('/d')!;
  assert.notEqual(f.dirStamp('/e'), s0);
  assert.notEqual(f.dirStamp('/d/sub'), s0);
  f.write('/d/a', 'one');
  const s1 = f.dirStamp('/d')!;
  assert.notEqual(s1, s0);
  f.read('/d/a');
  f.stat('/d/a');
  assert.equal(f.dirStamp('/d'), s1, 'reading changes nothing');
  f.write('/d/a', 'two'); // written over: same names, new content
  const s1b = f.dirStamp('/d')!;
  assert.notEqual(s1b, s1);
  f.write('/d/sub/x', 'deeper'); // a subdirectory's content is its own
  assert.equal(f.dirStamp('/d'), s1b);
  f.rename('/d/a', '/d/b');
  const s2 = f.dirStamp('/d')!;
  assert.notEqual(s2, s1b);
  f.remove('/d/b');
  assert.notEqual(f.dirStamp('/d'), s2);
  f.remove('/d', { recursive: true });
  f.mkdirp('/d');
  assert.ok(![s0, s1, s2].includes(f.dirStamp('/d')!), 'a directory made again has a stamp of its own');
  assert.equal(f.dirStamp('/e/none'), undefined);
  f.write('/e/file', 'x');
  assert.equal(f.dirStamp('/e/file'), undefined);
});

test('NodeFiles finds what a path leads to now after the paths it knew were removed, renamed or replaced', () => {
  const fs = new NodeFiles(() => 0);
  fs.mkdirp('/var/lib/cni/networks/kindnet');
  fs.write('/var/lib/cni/networks/kindnet/10.244.1.2', 'a');
  assert.equal(fs.readText('/var/lib/cni/networks/kindnet/10.244.1.2'), 'a');
  // removed, then made again: the new file, not the one read before
  fs.remove('/var/lib/cni/networks/kindnet/10.244.1.2');
  assert.equal(fs.exists('/var/lib/cni/networks/kindnet/10.244.1.2'), false);
  fs.write('/var/lib/cni/networks/kindnet/10.244.1.2', 'b');
  assert.equal(fs.readText('/var/lib/cni/networks/kindnet/10.244.1.2'), 'b');
  // a directory renamed: its old path leads nowhere, its files are under the new one
  fs.mkdirp('/var/lib/cni/networks/other');
  fs.remove('/var/lib/cni/networks/other');
  fs.rename('/var/lib/cni/networks/kindnet', '/var/lib/cni/networks/other');
  assert.equal(fs.readText('/var/lib/cni/networks/kindnet/10.244.1.2'), undefined);
  assert.equal(fs.dirStamp('/var/lib/cni/networks/kindnet'), undefined);
  assert.equal(fs.readText('/var/lib/cni/networks/other/10.244.1.2'), 'b');
  // a directory replaced by one renamed over it (empty): the paths under it are the new one's
  fs.mkdirp('/a/x');
  fs.mkdirp('/b');
  fs.write('/a/x/f', '1');
  assert.equal(fs.readText('/a/x/f'), '1');
  fs.mkdirp('/b/x');
  fs.write('/b/x/g', '2');
  fs.remove('/a/x/f');
  fs.rename('/b/x', '/a/x');
  assert.equal(fs.readText('/a/x/g'), '2');
  assert.equal(fs.exists('/a/x/f'), false);
  // a write under a path known as a file, and mkdirp over a known file, answer as before
  assert.equal(
    errno(() => fs.write('/a/x/g/h', 'x')),
    "ENOTDIR ENOTDIR: not a directory, open '/a/x/g/h'",
  );
  assert.equal(
    errno(() => fs.mkdirp('/a/x/g')),
    "EEXIST EEXIST: file already exists, mkdir '/a/x/g'",
  );
});

test('NodeFiles keeps written text as it is: readText, read, stat and listings answer as for its UTF-8 bytes, a lone surrogate as U+FFFD', () => {
  const f = new NodeFiles(() => 0);
  f.mkdirp('/d');
  const texts = ['', '10.244.1.5', 'abc\r\neth0', 'é漢🙂', 'lone \uD800 high', 'lone \uDC00 low'];
  texts.forEach((t, i) => f.write(`/d/${i}`, t));
  const bytes = (t: string) => new TextEncoder().encode(t);
  texts.forEach((t, i) => {
    assert.equal(f.readText(`/d/${i}`), new TextDecoder().decode(bytes(t)), `text ${i}`);
    assert.equal(f.stat(`/d/${i}`)!.size, bytes(t).length);
    assert.deepEqual(f.read(`/d/${i}`), bytes(t));
    assert.equal(f.readText(`/d/${i}`), new TextDecoder().decode(bytes(t)), `text ${i} after read`);
  });
  f.write('/d/9', 'first');
  f.write('/d/9', Uint8Array.of(0x61));
  assert.equal(f.readText('/d/9'), 'a');
  f.write('/d/9', 'again');
  assert.deepEqual(
    f.listFiles('/d')!.find(([n]) => n === '9'),
    ['9', bytes('again')],
  );
});
