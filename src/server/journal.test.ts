// The journal file's faults: a torn last record, a damaged record in the middle, garbage — each a
// clear knetlab message, never a SyntaxError, and never a lost record that could be kept.
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createHash } from 'node:crypto';
import type { JournalRecord } from '../lab/index.js';
import { blobKeeper, crc32, encodeRecord, JournalWriter, loadJournal, readBlob } from './journal.js';

const rec = (n: number): JournalRecord => ({ family: 'sh', argv: ['-c', `ip link add d${n} type dummy`], at: n, reads: {} });

function withDir(fn: (dir: string, path: string) => void | Promise<void>) {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'knetlab-journal-'));
    try {
      await fn(dir, join(dir, 'journal.jsonl'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

test("crc32() is zlib's CRC-32 of the UTF-8 bytes", () => {
  assert.equal(crc32('123456789'), 0xcbf43926); // the CRC-32/ISO-HDLC check value
  assert.equal(crc32(''), 0);
  assert.equal(crc32('é'), 0x0e048d3e); // over the two bytes c3 a9
});

test(
  'JournalWriter appends records that loadJournal() gives back in order',
  withDir(async (_dir, path) => {
    const w = new JournalWriter(path);
    await Promise.all([1, 2, 3].map((n) => w.append(rec(n))));
    await w.append(rec(4));
    w.close();
    assert.deepEqual(loadJournal(path), { records: [rec(1), rec(2), rec(3), rec(4)], warnings: [] });
  }),
);

test(
  'a torn last record is dropped with a message and cut from the file',
  withDir((dir, path) => {
    const whole = encodeRecord(rec(1)) + encodeRecord(rec(2));
    writeFileSync(path, whole + encodeRecord(rec(3)).slice(0, 30));
    const loaded = loadJournal(path);
    assert.deepEqual(loaded.records, [rec(1), rec(2)]);
    assert.match(
      loaded.warnings[0]!,
      /^knetlab: dropped an unfinished last record of .*journal\.jsonl: it was being written when the server stopped and was never acknowledged$/,
    );
    assert.equal(readFileSync(path, 'utf8'), whole);
    assert.deepEqual(loadJournal(path).warnings, []);
    assert.deepEqual(readdirSync(dir), ['journal.jsonl']);
  }),
);

test(
  'a damaged record in the middle keeps the records before it and moves the original aside',
  withDir((dir, path) => {
    const lines = [1, 2, 3, 4].map((n) => encodeRecord(rec(n)));
    const damaged = lines[2]!.replace('d3', 'd9');
    writeFileSync(path, lines[0]! + lines[1]! + damaged + lines[3]!);
    const loaded = loadJournal(path);
    assert.deepEqual(loaded.records, [rec(1), rec(2)]);
    assert.match(
      loaded.warnings[0]!,
      /journal\.jsonl is damaged at line 3 \(checksum mismatch\); kept the 2 records before it and moved the original to .*journal\.jsonl\.damaged-\d+$/,
    );
    assert.equal(readFileSync(path, 'utf8'), lines[0]! + lines[1]!);
    const aside = readdirSync(dir).filter((f) => f.includes('.damaged-'));
    assert.equal(aside.length, 1);
    assert.equal(readFileSync(join(dir, aside[0]!), 'utf8'), lines[0]! + lines[1]! + damaged + lines[3]!);
    assert.equal(readdirSync(dir).filter((f) => f.endsWith('.tmp')).length, 0);
  }),
);

test(
  'garbage and a truncated file give knetlab messages, not a SyntaxError',
  withDir((_dir, path) => {
    writeFileSync(path, '{"format":1,"journal":[{"argv":["ip"');
    const loaded = loadJournal(path);
    assert.deepEqual(loaded.records, []);
    assert.equal(loaded.warnings.length, 1);
    writeFileSync(path, 'hello\nworld\n');
    const two = loadJournal(path);
    assert.deepEqual(two.records, []);
    assert.match(two.warnings[0]!, /damaged at line 1 \(no checksum\)/);
    // A record with a good checksum but the wrong shape.
    const json = JSON.stringify({ family: 'sh', argv: 'ip link', at: 0, reads: {} });
    writeFileSync(path, encodeRecord(rec(1)));
    appendFileSync(
      path,
      encodeRecord(rec(2)).replace(/^.{8} .*$/m, () => `${crcOf(json)} ${json}`),
    );
    const shape = loadJournal(path);
    assert.deepEqual(shape.records, [rec(1)]);
    assert.match(shape.warnings[0]!, /field "argv" is not a list of strings/);
  }),
);

function crcOf(json: string): string {
  return encodeRecord(JSON.parse(json) as JournalRecord).slice(0, 8);
}

test(
  'a record keeps a large input by content: one blob beside the journal, written once, named by its SHA-256; a missing blob damages its record',
  withDir(async (dir, path) => {
    const payload = new TextEncoder().encode('-A KUBE-SERVICES -j ACCEPT\n'.repeat(400));
    const name = 'a7d4c1e5d4bd3a45a6c1eb6bc1d5d6d3c39e9b6b6c0a3b8bb2c6bdc83dbf4c4e';
    const { keep, blobs } = blobKeeper();
    const kept = keep(payload);
    assert.equal(kept, require_sha256(payload));
    const withBlob = (n: number): JournalRecord => ({ ...rec(n), reads: {}, blobs: { 'kp.rules': kept } });
    const w = new JournalWriter(path);
    await w.append(rec(1));
    assert.deepEqual(readdirSync(dir), ['journal.jsonl']); // no blobs/ until one is needed
    await w.append(withBlob(2), blobs);
    const file = join(dir, 'blobs', kept);
    const first = statSync(file);
    await w.append(withBlob(3), blobKeeper().blobs); // the blob on disk already serves the next record
    await w.append(withBlob(4), blobs);
    w.close();
    assert.equal(statSync(file).ino, first.ino);
    assert.equal(statSync(file).mtimeMs, first.mtimeMs);
    assert.deepEqual(readdirSync(join(dir, 'blobs')), [kept]);
    assert.ok(readFileSync(path, 'utf8').length < 1000, 'the journal holds names, not the bytes');
    assert.deepEqual(loadJournal(path), { records: [rec(1), withBlob(2), withBlob(3), withBlob(4)], warnings: [] });
    assert.deepEqual(new Uint8Array(readBlob(path, kept)), payload);
    // a record naming a blob that is not there: damaged, like a bad checksum
    assert.notEqual(kept, name);
    const lines = readFileSync(path, 'utf8');
    appendFileSync(path, encodeRecord({ ...rec(5), blobs: { 'x.rules': name } }) + encodeRecord(rec(6)));
    const loaded = loadJournal(path);
    assert.deepEqual(loaded.records, [rec(1), withBlob(2), withBlob(3), withBlob(4)]);
    assert.match(loaded.warnings[0]!, new RegExp(`damaged at line 5 \\(its blob .*blobs/${name} is missing\\)`));
    assert.equal(readFileSync(path, 'utf8'), lines);
    // a blob whose bytes are not what its name says is refused when read
    writeFileSync(file, 'tampered');
    assert.throws(() => readBlob(path, kept), /blob .* is damaged \(its content does not match its name\)/);
    // and a record naming a blob no one gave bytes for is refused before anything is written
    const w2 = new JournalWriter(path);
    await assert.rejects(w2.append({ ...rec(7), blobs: { 'y.rules': name } }), /no bytes were given for it/);
    w2.close();
  }),
);

test(
  'a record of an older journal, its file inline as base64, still loads',
  withDir((_dir, path) => {
    const old = {
      ...rec(1),
      argv: ['-c', 'iptables-restore r.txt'],
      reads: { 'r.txt': Buffer.from('*filter\nCOMMIT\n').toString('base64') },
    };
    writeFileSync(path, encodeRecord(old));
    assert.deepEqual(loadJournal(path), { records: [old], warnings: [] });
  }),
);

function require_sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
