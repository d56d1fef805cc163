// `kubectl cp [-c CONTAINER] SRC DEST` as kubectl v1.3x's pkg/cmd/cp/cp.go does it: one side is
// `[NAMESPACE/]POD:PATH`, the other a path on the client's machine; the copy is a tar stream
// through `kubectl exec`: `tar cf - PATH` in the container to copy out (tar's stderr goes to
// kubectl's stdout, as cp.go wires it), `test -d DEST` then `tar -xmf - -C DIR` to copy in. So the
// image must have tar; without it the exec fails with the runtime's message.
// Not emulated: --retries (its `tail -c+N` resumption), symlinks on the client's side (its files are
// read as regular files), the client's file modes (a file copied in gets 0755, as docker cp here).

import type { KubeObject } from '../api/index.js';
import { type KubectlEnv, KubectlError, namespaceOf } from './env.js';
import { defaultContainer, streamTarget, type TarMember } from './exec.js';
import { parseFlags } from './flags.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const FORMAT = 'filespec must match the canonical format: [[namespace/]pod:]file/path';

/** Go's path.Clean. */
export function cleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out.at(-1) !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(part);
  }
  const joined = out.join('/');
  return rooted ? `/${joined}` : joined || '.';
}

const dirOf = (p: string) => {
  const c = cleanPath(p);
  const i = c.lastIndexOf('/');
  return i < 0 ? '.' : i === 0 ? '/' : c.slice(0, i);
};
const baseOf = (p: string) => {
  const c = cleanPath(p);
  return c === '/' ? '/' : c.slice(c.lastIndexOf('/') + 1);
};
const join = (a: string, b: string) => cleanPath(b === '' ? a : `${a}/${b}`);
/** filespec.go stripTrailingSlash: one trailing slash, never the root's. */
const stripTrailingSlash = (f: string) => (f !== '' && f !== '/' && f.endsWith('/') ? f.slice(0, -1) : f);

/** filespec.go stripPathShortcuts: leading `../`, a bare `.`/`..`, a leading `/`. */
function stripPathShortcuts(p: string): string {
  let s = p;
  while (s.startsWith('../')) s = s.slice(3);
  if (s === '.' || s === '..') s = '';
  return s.startsWith('/') ? s.slice(1) : s;
}

interface FileSpec {
  readonly pod?: string;
  readonly namespace?: string;
  readonly file: string;
}

/** cp.go extractFileSpec: the first ':' splits pod from path (so a local path holding ':' reads as a pod's). */
function fileSpec(arg: string): FileSpec {
  const i = arg.indexOf(':');
  if (i === 0) throw new KubectlError(FORMAT);
  if (i < 0) return { file: stripTrailingSlash(arg) };
  const pieces = arg.slice(0, i).split('/');
  const file = stripTrailingSlash(arg.slice(i + 1)).replaceAll('\\', '/');
  if (pieces.length === 1) return { pod: pieces[0]!, file };
  if (pieces.length === 2) return { namespace: pieces[0]!, pod: pieces[1]!, file };
  throw new KubectlError(FORMAT);
}

/** exec.go Run's checks before streaming: the pod, its phase, the (default) container, the API server's streamLocation. */
function target(
  env: KubectlEnv,
  spec: FileSpec,
  ns: string,
  container: string | undefined,
  defaultedTo: (text: string) => void,
): { pod: KubeObject; container: string } {
  const pod = env.client.get('pods', spec.namespace || ns, spec.pod!);
  const phase = (pod.status as Obj | undefined)?.phase;
  if (phase === 'Succeeded' || phase === 'Failed')
    throw new KubectlError(`cannot exec into a container in a completed pod; current phase is ${phase}`);
  const name = container || defaultContainer({ ...env, io: { ...env.io, stderr: defaultedTo } }, pod, false);
  streamTarget(pod, name);
  if (!env.runtime)
    throw new KubectlError('knetlab: this cluster has no nodes\' data plane (kubelet and containers) to run "kubectl cp" on');
  return { pod, container: name };
}

/** The remote command's failure as exec's CheckErr prints it; the status it exits with. */
function terminated(env: KubectlEnv, status: number): number {
  env.io.stderr(`command terminated with exit code ${status}\n`);
  return status;
}

async function copyFromPod(env: KubectlEnv, src: FileSpec, dest: string, ns: string, container: string | undefined): Promise<number> {
  // tar's (and the defaulting message's) stderr is kubectl's stdout here: cp.go's TarPipe wires ErrOut to o.Out.
  const { pod, container: name } = target(env, src, ns, container, env.io.stdout);
  const r = await env.runtime!.tarCreate!(pod, name, src.file);
  env.io.stdout(r.stderr);
  if (r.status !== 0) return terminated(env, r.status);
  const prefix = stripPathShortcuts(cleanPath(src.file.replace(/^[/\\]+/, '')));
  const { writeFile, makeDir, readDir } = env.io;
  if (!writeFile || !makeDir) throw new KubectlError("knetlab: this front end cannot write the client's files");
  for (const m of r.members) {
    // untarAll: a member outside the prefix means a tampered stream
    if (!m.name.startsWith(prefix)) throw new KubectlError('tar contents corrupted');
    const rest = m.name.slice(prefix.length);
    // dest.Join(newRemotePath(rest)): a file copied out lands at DEST itself, a directory's members under it
    const to = join(dest, stripTrailingSlash(rest));
    const rel = relative(cleanPath(dest), to);
    if (rel === undefined) {
      env.io.stderr(`warning: file ${JSON.stringify(to)} is outside target destination, skipping\n`);
      continue;
    }
    makeDir(dirOf(to));
    if (m.type === 'dir') {
      makeDir(to);
      continue;
    }
    // os.Create on a directory
    if (readDir?.(to) !== undefined) throw new KubectlError(`open ${to}: is a directory`);
    writeFile(to, m.data ?? new Uint8Array());
  }
  return 0;
}

/** filespec.go isRelative: the relative path from base to target, undefined when it climbs out. */
function relative(base: string, target: string): string | undefined {
  if (target === base) return '.';
  const b = base === '.' ? '' : `${base.replace(/\/$/, '')}/`;
  if (b !== '' && !target.startsWith(b)) return undefined;
  const rel = target.slice(b.length);
  return rel.startsWith('../') || rel === '..' ? undefined : rel;
}

/** cp.go makeTar/recursiveTar: members named from DEST's base; an empty directory gets a header, a full one only its files. */
function localMembers(env: KubectlEnv, local: string, name: string, out: TarMember[]): void {
  const entries = env.io.readDir?.(local);
  if (entries !== undefined) {
    if (entries.length === 0) out.push({ name, type: 'dir', mode: 0o755 });
    for (const e of entries) localMembers(env, join(local, e), join(name, e), out);
    return;
  }
  const data = env.io.readFile(local);
  // a file unreadable here (a FIFO, a device) is left out, as a copy of it would never end
  if (data) out.push({ name, type: 'file', data, mode: 0o755 });
}

async function copyToPod(env: KubectlEnv, src: string, dest: FileSpec, ns: string, container: string | undefined): Promise<number> {
  if (env.io.readDir?.(src) === undefined && env.io.readFile(src) === undefined)
    throw new KubectlError(`${src} doesn't exist in local filesystem`);
  let destFile = dest.file;
  // checkDestinationIsDir: `test -d DEST`, its output discarded; any failure means "not a directory"
  try {
    const { pod, container: name } = target(env, dest, ns, container, () => {});
    const r = await env.runtime!.exec(pod, name, ['test', '-d', dest.file], { tty: false });
    if (r.status === 0) destFile = join(destFile, baseOf(src));
  } catch {
    // the copy below meets the same error and reports it
  }
  const { pod, container: name } = target(env, dest, ns, container, env.io.stderr);
  const members: TarMember[] = [];
  localMembers(env, cleanPath(src), baseOf(destFile), members);
  const r = await env.runtime!.tarExtract!(pod, name, dirOf(destFile), members);
  env.io.stdout(r.stdout);
  env.io.stderr(r.stderr);
  return r.status === 0 ? 0 : terminated(env, r.status);
}

export async function cp(env: KubectlEnv, argv: readonly string[]): Promise<number> {
  const p = parseFlags(argv, [
    { name: 'container', short: 'c', kind: 'string' },
    { name: 'no-preserve', kind: 'bool' },
    { name: 'retries', kind: 'int' },
  ]);
  if (p.args.length !== 2) throw new KubectlError('source and destination are required');
  if (((p.flags.retries as number | undefined) ?? 0) !== 0)
    throw new KubectlError('knetlab: kubectl cp --retries is not emulated (a copy in the lab is not interrupted)');
  const src = fileSpec(p.args[0]!);
  const dest = fileSpec(p.args[1]!);
  if (src.pod && dest.pod) throw new KubectlError('one of src or dest must be a local file specification');
  if (src.file === '' || dest.file === '') throw new KubectlError('filepath can not be empty');
  const ns = namespaceOf(env, p.flags.namespace);
  const container = p.flags.container as string | undefined;
  if (src.pod) return copyFromPod(env, src, dest.file, ns, container);
  if (dest.pod) return copyToPod(env, src.file, dest, ns, container);
  throw new KubectlError('one of src or dest must be a remote file specification');
}
