// A journal record: one state-changing invocation as the Lab applied it, with everything a replay
// needs to apply it again to the same effect (the emulator is deterministic): the virtual time it
// started at, its stdin and the client files it read, and when it was interrupted. Runtime-neutral;
// the front end decides where records are kept (src/server: an append-only file, fsynced, and large
// inputs as blobs beside it, named by their content).
import type { BindFailure } from './command.js';

export interface JournalRecord {
  /** The family (`sh`, `kind`, …) and its argv. */
  readonly family: string;
  readonly argv: readonly string[];
  /** Virtual time (ms) when the Lab started applying it. */
  readonly at: number;
  /** Standard input, base64. */
  readonly stdin?: string;
  /** Standard input kept by content: the name of its blob (see `blobs`). */
  readonly stdinBlob?: string;
  /** The client files it read, base64 by path (files it looked for and did not find are absent). */
  readonly reads: Readonly<Record<string, string>>;
  /**
   * The client files it read kept by content, by path: the name the front end's CommandIo.keep gave
   * their bytes (a blob written once beside the journal, however many records read it). A file is
   * in `reads` or here, not both; records before blobs, and front ends without them, have only `reads`.
   */
  readonly blobs?: Readonly<Record<string, string>>;
  /** The client directories it listed, their names by path (absent: none listed). */
  readonly dirs?: Readonly<Record<string, readonly string[]>>;
  /** Virtual time (ms) when the client interrupted it (Ctrl-C), for a long-running command. */
  readonly until?: number;
  /** What each bindPorts() call answered, in order (null: all bound). */
  readonly binds?: readonly (BindFailure | null)[];
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_CODES = Uint8Array.from(B64, (c) => c.charCodeAt(0));
const B64_VALUES = (() => {
  const v = new Int16Array(128).fill(-1);
  for (let i = 0; i < 64; i++) v[B64.charCodeAt(i)] = i;
  return v;
})();
const ASCII = new TextDecoder();

/**
 * Standard base64 (RFC 4648 §4, padded). Table-driven into one byte buffer: btoa over a binary
 * string of a 12 MB restore payload cost seconds, mostly in the garbage collector.
 */
export function toBase64(data: Uint8Array): string {
  const out = new Uint8Array(Math.ceil(data.length / 3) * 4);
  let o = 0;
  let i = 0;
  for (; i + 2 < data.length; i += 3) {
    const n = (data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!;
    out[o++] = B64_CODES[n >>> 18]!;
    out[o++] = B64_CODES[(n >>> 12) & 63]!;
    out[o++] = B64_CODES[(n >>> 6) & 63]!;
    out[o++] = B64_CODES[n & 63]!;
  }
  if (i < data.length) {
    const n = (data[i]! << 16) | (i + 1 < data.length ? data[i + 1]! << 8 : 0);
    out[o++] = B64_CODES[n >>> 18]!;
    out[o++] = B64_CODES[(n >>> 12) & 63]!;
    out[o++] = i + 1 < data.length ? B64_CODES[(n >>> 6) & 63]! : 61;
    out[o++] = 61; // '='
  }
  return ASCII.decode(out);
}

/** The bytes of standard base64 text (padding optional); throws on any other character, as atob does. */
export function fromBase64(text: string): Uint8Array {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 61) end--;
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? B64_VALUES[c]! : -1;
    if (v < 0) throw new Error(`Cannot decode base64: invalid character at offset ${i}`);
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >>> bits) & 255;
    }
  }
  return o === out.length ? out : out.subarray(0, o);
}

/** A blob's name: the SHA-256 of its bytes in hex (a name that is never a path). */
export const BLOB_NAME = /^[0-9a-f]{64}$/;

/** Inputs from this size up are kept by content when the front end can (smaller ones stay inline, readable in the journal). */
export const BLOB_MIN_BYTES = 4096;

/** Why a decoded value is not a JournalRecord, or undefined when it is one. */
export function checkRecord(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not an object';
  const r = value as Record<string, unknown>;
  if (typeof r.family !== 'string') return 'field "family" is not a string';
  if (!Array.isArray(r.argv) || !r.argv.every((a) => typeof a === 'string')) return 'field "argv" is not a list of strings';
  if (typeof r.at !== 'number' || !(r.at >= 0)) return 'field "at" is not a time';
  if (r.stdin !== undefined && typeof r.stdin !== 'string') return 'field "stdin" is not a string';
  if (r.stdinBlob !== undefined && (typeof r.stdinBlob !== 'string' || !BLOB_NAME.test(r.stdinBlob)))
    return 'field "stdinBlob" is not a blob name';
  if (typeof r.reads !== 'object' || r.reads === null || !Object.values(r.reads).every((v) => typeof v === 'string'))
    return 'field "reads" is not a map of strings';
  if (
    r.blobs !== undefined &&
    (typeof r.blobs !== 'object' || r.blobs === null || !Object.values(r.blobs).every((v) => typeof v === 'string' && BLOB_NAME.test(v)))
  )
    return 'field "blobs" is not a map of blob names';
  if (
    r.dirs !== undefined &&
    (typeof r.dirs !== 'object' ||
      r.dirs === null ||
      !Object.values(r.dirs).every((v) => Array.isArray(v) && v.every((n) => typeof n === 'string')))
  )
    return 'field "dirs" is not a map of name lists';
  if (r.until !== undefined && (typeof r.until !== 'number' || !(r.until >= r.at))) return 'field "until" is not a time after "at"';
  const bindFailure = (b: unknown) =>
    b === null || (typeof b === 'object' && Number.isInteger((b as BindFailure).index) && typeof (b as BindFailure).error === 'string');
  if (r.binds !== undefined && (!Array.isArray(r.binds) || !r.binds.every(bindFailure)))
    return 'field "binds" is not a list of bind answers';
  return undefined;
}

/** The names of the blobs a record reads (its stdin's, then its files'). */
export function blobsOf(record: JournalRecord): string[] {
  return [...(record.stdinBlob === undefined ? [] : [record.stdinBlob]), ...Object.values(record.blobs ?? {})];
}
