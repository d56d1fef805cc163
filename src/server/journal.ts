// The lab's journal on disk: $KNETLAB_HOME/journal.jsonl, one state-changing invocation per line
// (`CRC32 JSON`), appended and fdatasync'ed before the invocation is acknowledged (group commit:
// the records that arrive during one sync share the next). Loading keeps every whole record: a torn
// last line (a crash during an unacknowledged write) is dropped; a damaged line with records after
// it keeps the records before it and moves the original file aside, saying so. There is no
// snapshot: a restart replays the whole journal (bench/server.ts measures it).
// A large input a command read (a restore payload, a manifest) is kept by content: blobs/NAME beside
// the journal, NAME the SHA-256 of its bytes, written once and durably before the first record that
// names it; a record naming a blob that is not there is damaged.
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fdatasyncSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { fdatasync, write } from 'node:fs';
import { dirname, join } from 'node:path';
import * as zlib from 'node:zlib';
import { blobsOf, checkRecord, type JournalRecord } from '../lab/index.js';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** zlib's own crc32 where this Node has it (20.15+): a restore payload's record is 15 MB. */
const nativeCrc32 = (zlib as { crc32?: (data: string) => number }).crc32;

/** CRC-32 (IEEE, as zlib) of a string's UTF-8 bytes. */
export function crc32(text: string): number {
  if (nativeCrc32) return nativeCrc32(text) >>> 0;
  const bytes = Buffer.from(text, 'utf8');
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export function encodeRecord(record: JournalRecord): string {
  const json = JSON.stringify(record);
  return `${crc32(json).toString(16).padStart(8, '0')} ${json}\n`;
}

/** The directory of the blobs of the journal at `path`. */
export const blobDir = (path: string): string => join(dirname(path), 'blobs');

/** A blob's name: the SHA-256 of its bytes, hex (BLOB_NAME). */
export const blobName = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** A command's CommandIo.keep and the blobs it named, for JournalWriter.append with the command's record. */
export function blobKeeper(): { readonly keep: (data: Uint8Array) => string; readonly blobs: ReadonlyMap<string, Uint8Array> } {
  const blobs = new Map<string, Uint8Array>();
  return {
    blobs,
    keep: (data) => {
      const name = blobName(data);
      blobs.set(name, data);
      return name;
    },
  };
}

/** The bytes of blob `name` of the journal at `path`; throws when it is missing or not what its name says. */
export function readBlob(path: string, name: string): Uint8Array {
  const data = readFileSync(join(blobDir(path), name));
  if (blobName(data) !== name)
    throw new Error(`knetlab: the journal's blob ${join(blobDir(path), name)} is damaged (its content does not match its name)`);
  return data;
}

/** The record on one line, or why the line is not one. */
function decodeLine(line: string, dir: string): JournalRecord | string {
  if (line.length < 9 || line[8] !== ' ' || !/^[0-9a-f]{8}$/.test(line.slice(0, 8))) return 'no checksum';
  const json = line.slice(9);
  if (parseInt(line.slice(0, 8), 16) !== crc32(json)) return 'checksum mismatch';
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return 'not JSON';
  }
  const bad = checkRecord(value);
  if (bad) return bad;
  const missing = blobsOf(value as JournalRecord).find((name) => !existsSync(join(dir, name)));
  return missing ? `its blob ${join(dir, missing)} is missing` : (value as JournalRecord);
}

export interface LoadedJournal {
  readonly records: JournalRecord[];
  /** What was dropped or moved aside, in words for the server log and the client. */
  readonly warnings: string[];
}

const errno = (e: unknown) => (e as NodeJS.ErrnoException).code;

/** Reads the journal at `path`, repairing it on disk as the header says. */
export function loadJournal(path: string): LoadedJournal {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if (errno(e) === 'ENOENT') return { records: [], warnings: [] };
    throw new Error(`knetlab: cannot read the lab journal ${path}: ${(e as Error).message}`);
  }
  const records: JournalRecord[] = [];
  const warnings: string[] = [];
  const lines = text.split('\n');
  const complete = lines.length - 1; // the text after the last newline is an unfinished line
  let goodBytes = 0;
  for (let i = 0; i < complete; i++) {
    const r = decodeLine(lines[i]!, blobDir(path));
    if (typeof r === 'string') {
      const later = lines.slice(i + 1, complete).filter((l) => l !== '').length;
      if (later === 0) {
        warnings.push(
          `knetlab: dropped the last record of ${path} (${r}): it was being written when the server stopped and was never acknowledged`,
        );
      } else {
        const aside = `${path}.damaged-${Date.now()}`;
        renameSync(path, aside);
        rewrite(path, text.slice(0, goodBytes));
        warnings.push(
          `knetlab: ${path} is damaged at line ${i + 1} (${r}); kept the ${records.length} records before it and moved the original to ${aside}`,
        );
        return { records, warnings };
      }
      break;
    }
    records.push(r);
    goodBytes += Buffer.byteLength(lines[i]!, 'utf8') + 1;
  }
  if (lines[complete] !== '')
    warnings.push(
      `knetlab: dropped an unfinished last record of ${path}: it was being written when the server stopped and was never acknowledged`,
    );
  if (goodBytes < Buffer.byteLength(text, 'utf8')) {
    const fd = openSync(path, 'r+');
    try {
      ftruncateSync(fd, goodBytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
  return { records, warnings };
}

/** Writes `text` to `path` durably through a temporary file that never outlives this call. */
function rewrite(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
    syncDir(dirname(path));
  } finally {
    rmSync(tmp, { force: true });
  }
}

function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

interface Pending {
  readonly bytes: Buffer;
  /** The blobs its record names, by name, to be on disk before it. */
  readonly blobs: ReadonlyMap<string, Uint8Array>;
  readonly done: (error?: Error) => void;
}

/** Writes blob `name` durably unless it is there already (a blob is never rewritten). */
function writeBlob(dir: string, name: string, data: Uint8Array): void {
  const file = join(dir, name);
  if (existsSync(file) && statSync(file).size === data.length) return;
  if (!existsSync(dir)) {
    mkdirSync(dir, { mode: 0o700 });
    syncDir(dirname(dir));
  }
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    const fd = openSync(tmp, 'w', 0o600);
    try {
      for (let off = 0; off < data.length; ) off += writeSync(fd, data, off, data.length - off);
      fdatasyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
    syncDir(dir);
  } finally {
    rmSync(tmp, { force: true });
  }
}

/**
 * Appends records durably. append() resolves once its record is on disk; it rejects when the write
 * or the sync failed (a full disk), and then every record after it fails too and the file is cut
 * back to the last record that was kept, so the file always ends on a whole record.
 */
export class JournalWriter {
  private readonly fd: number;
  private size: number;
  private queue: Pending[] = [];
  private writing = false;
  private idle: (() => void)[] = [];

  constructor(readonly path: string) {
    this.fd = openSync(path, 'a', 0o600);
    this.size = readFileSync(path).length;
    fdatasyncSync(this.fd);
    syncDir(dirname(path));
  }

  /**
   * `blobs`: the bytes of the blobs the record names, by name (what CommandIo.keep named); each is
   * written before the record, unless it is on disk already.
   */
  append(record: JournalRecord, blobs?: ReadonlyMap<string, Uint8Array>): Promise<void> {
    return new Promise((resolve, reject) => {
      const mine = new Map<string, Uint8Array>();
      for (const name of blobsOf(record)) {
        const data = blobs?.get(name);
        if (data) mine.set(name, data);
        else if (!existsSync(join(blobDir(this.path), name)))
          return reject(new Error(`cannot journal a record naming blob ${name}: no bytes were given for it`));
      }
      this.queue.push({ bytes: Buffer.from(encodeRecord(record), 'utf8'), blobs: mine, done: (e) => (e ? reject(e) : resolve()) });
      this.pump();
    });
  }

  /** Resolves when every record appended so far has been written (or has failed). */
  settled(): Promise<void> {
    if (!this.writing && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  close(): void {
    closeSync(this.fd);
  }

  private pump(): void {
    if (this.writing) return;
    if (this.queue.length === 0) {
      for (const f of this.idle.splice(0)) f();
      return;
    }
    const batch = this.queue.splice(0);
    const bytes = Buffer.concat(batch.map((p) => p.bytes));
    this.writing = true;
    const finish = (e: NodeJS.ErrnoException | null) => {
      this.writing = false;
      if (e) {
        // What did not reach the disk must not stay half there; later records depended on these.
        const failed = [...batch, ...this.queue.splice(0)];
        try {
          ftruncateSync(this.fd, this.size);
        } catch {
          // the cut is retried by the next load, which drops a torn tail
        }
        const error = new Error(
          `cannot write the lab journal ${this.path}: ${e.code === 'ENOSPC' ? 'No space left on device' : e.message}`,
        );
        for (const p of failed) p.done(error);
      } else {
        this.size += bytes.length;
        for (const p of batch) p.done();
      }
      this.pump();
    };
    try {
      for (const p of batch) for (const [name, data] of p.blobs) writeBlob(blobDir(this.path), name, data);
    } catch (e) {
      finish(e as NodeJS.ErrnoException);
      return;
    }
    writeAll(this.fd, bytes, 0, (e) => (e ? finish(e) : fdatasync(this.fd, finish)));
  }
}

function writeAll(fd: number, bytes: Buffer, offset: number, cb: (e: NodeJS.ErrnoException | null) => void): void {
  write(fd, bytes, offset, bytes.length - offset, null, (e, n) => {
    if (e) cb(e);
    else if (offset + n < bytes.length) writeAll(fd, bytes, offset + n, cb);
    else cb(null);
  });
}
