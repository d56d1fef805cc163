// Reading `-f FILE|DIR|-` as kubectl's resource builder does: multi-document YAML or JSON,
// `kind: List` expanded, files of a directory with .json/.yaml/.yml extensions in name order,
// and the client-side checks that run before anything reaches the server.

import { parseAllDocuments, type Tags } from 'yaml';
import type { KubeObject } from '../api/index.js';
import { KubectlError, type KubectlIo } from './env.js';

export interface Manifest {
  obj: KubeObject;
  /** The file it came from (`STDIN` for `-`), as kubectl names it in messages. */
  source: string;
}

const decoder = new TextDecoder();
const EXTENSIONS = ['.json', '.yaml', '.yml'];

export function readManifests(io: KubectlIo, filenames: string[], recursive = false): Manifest[] {
  if (filenames.length === 0) throw new KubectlError('must specify one of -f and -k');
  const out: Manifest[] = [];
  for (const f of filenames) {
    if (f === '-') {
      if (!io.stdin) throw new KubectlError('no objects passed to apply');
      out.push(...parseManifests(decoder.decode(io.stdin), 'STDIN'));
      continue;
    }
    if (/^https?:\/\//.test(f)) {
      // kubectl's builder fetches a URL with a GET; here only the addresses knetlab knows answer.
      const body = io.readUrl?.(f);
      if (!body) throw new KubectlError(`unable to read URL "${f}": knetlab has no network access; apply a local copy with -f FILE`);
      out.push(...parseManifests(decoder.decode(body), f));
      continue;
    }
    const entries = io.readDir?.(f);
    if (entries) {
      for (const e of [...entries].sort()) {
        const p = `${f.replace(/\/$/, '')}/${e}`;
        if (io.readDir?.(p)) {
          if (recursive) out.push(...readManifests(io, [p], true));
          continue;
        }
        if (!EXTENSIONS.some((x) => e.endsWith(x))) continue;
        out.push(...parseManifests(decoder.decode(io.readFile(p)!), p));
      }
      continue;
    }
    const data = io.readFile(f);
    if (!data) throw new KubectlError(`the path "${f}" does not exist`);
    out.push(...parseManifests(decoder.decode(data), f));
  }
  return out;
}

/**
 * kubectl reads YAML with sigs.k8s.io/yaml, whose go-yaml v2 resolves plain scalars as YAML 1.1 does:
 * `defaultMode: 0400` is octal (256), `yes`/`on`/`y` are true. Its base-60 numbers, timestamps and
 * other 1.1 types stay strings (go-yaml v2 has none of them for an untyped value).
 */
const GO_YAML_V2 = {
  version: '1.1' as const,
  customTags: (tags: Tags) =>
    tags.filter(
      (t) =>
        typeof t === 'string' ||
        (t.format !== 'TIME' &&
          ['int', 'float', 'bool', 'null', 'str', 'map', 'seq', 'merge'].some((k) => t.tag === `tag:yaml.org,2002:${k}`)),
    ),
};

/** Parses the documents of one file and applies kubectl's client-side checks (kind, apiVersion). */
export function parseManifests(text: string, source: string): Manifest[] {
  const out: Manifest[] = [];
  for (const doc of parseAllDocuments(text, GO_YAML_V2)) {
    if (doc.errors.length > 0) {
      throw new KubectlError(`error parsing ${source}: error converting YAML to JSON: yaml: ${doc.errors[0]!.message.split('\n')[0]}`);
    }
    const v = doc.toJS();
    if (v === null || v === undefined) continue;
    if (typeof v !== 'object' || Array.isArray(v))
      throw new KubectlError(
        `error validating "${source}": error validating data: invalid object to validate; if you choose to ignore these errors, turn validation off with --validate=false`,
      );
    if (!v.kind)
      throw new KubectlError(
        `error validating "${source}": error validating data: kind not set; if you choose to ignore these errors, turn validation off with --validate=false`,
      );
    if (!v.apiVersion)
      throw new KubectlError(
        `error validating "${source}": error validating data: apiVersion not set; if you choose to ignore these errors, turn validation off with --validate=false`,
      );
    if (v.kind === 'List' || (typeof v.kind === 'string' && v.kind.endsWith('List') && Array.isArray(v.items))) {
      for (const item of v.items ?? []) out.push({ obj: { ...item, metadata: item.metadata ?? {} }, source });
      continue;
    }
    out.push({ obj: { ...v, metadata: v.metadata ?? {} }, source });
  }
  return out;
}

/** apiVersion `apps/v1` → group `apps`, version `v1`; `v1` → core. */
export function groupVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}
