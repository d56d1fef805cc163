// The kubelet's file source of static pods (pkg/kubelet/config/file.go, common.go): the directory
// its config's staticPodPath names is listed every fileCheckFrequency (20 s by default); every
// regular file whose name does not start with a dot is decoded as one Pod, defaulted as
// applyDefaults does (name `<name>-<node>`, namespace default, spec.nodeName, the NoExecute
// toleration, annotations kubernetes.io/config.hash, config.seen, config.source: file; the uid is
// the hash) and validated; a file that fails is skipped with the kubelet's log line. Coarse: the
// kubelet also watches the directory with inotify, so a real change is seen at once; here at the
// next listing. The hash is 32 hex digits as the kubelet's md5, but of the file's decoded YAML (not
// byte-equal to the kubelet's md5 of its Go struct).
import { parseDocument } from 'yaml';
import type { KubeObject } from '../api/index.js';
import { lastResult, type NodeFiles } from '../sim/index.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const CONFIG_HASH = 'kubernetes.io/config.hash';
export const CONFIG_MIRROR = 'kubernetes.io/config.mirror';
export const CONFIG_SEEN = 'kubernetes.io/config.seen';
export const CONFIG_SOURCE = 'kubernetes.io/config.source';

/** Where kubeadm's kubelet reads its KubeletConfiguration (--config). */
export const KUBELET_CONFIG = '/var/lib/kubelet/config.yaml';
/** KubeletConfiguration's fileCheckFrequency default. */
const FILE_CHECK_MS = 20_000;

/** The static pod a mirror pod stands for (its config hash), or undefined for any other pod. */
export function mirrorOf(pod: KubeObject): string | undefined {
  return pod.metadata.annotations?.[CONFIG_MIRROR];
}

/** Go's time.Duration text (`20s`, `1m30s`, `500ms`) in ms; undefined when it is not one. */
function durationMs(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const m = /^(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+(?:\.\d+)?)s)?(?:(\d+)ms)?$/.exec(text);
  if (!m || text === '') return undefined;
  return ((Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0)) * 1000 + Number(m[4] ?? 0);
}

/** 128 bits (32 hex digits) from four FNV-1a passes with different offsets: the width of the kubelet's md5. */
function hash128(text: string): string {
  let out = '';
  for (const seed of [0x811c9dc5, 0x01000193, 0x9e3779b9, 0x85ebca6b]) {
    let h = seed >>> 0;
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    out += h.toString(16).padStart(8, '0');
  }
  return out;
}

/** JSON with keys sorted, so an unchanged manifest keeps its hash however it is re-saved. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Obj;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** kubetypes.Timestamp's text: RFC 3339 with nanoseconds, always nine digits. */
const seenTime = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');

/** The file's pod, or the kubelet's error text for it (tryDecodeSinglePod and extractFromFile). */
function decode(path: string, text: string, node: string, now: number): KubeObject | string {
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    const line = e.linePos?.[0].line;
    return unparsed(path, `error converting YAML to JSON: yaml: ${line ? `line ${line}: ` : ''}${e.message.split('\n')[0]}`);
  }
  return decodeValue(path, doc.toJS() as unknown, node, now);
}

const unparsed = (path: string, why: string) => `${path}: couldn't parse as pod(${why}), please check config file`;

/** The pod of a file's parsed content (decode's checks and defaults after the YAML). */
function decodeValue(path: string, raw: unknown, node: string, now: number): KubeObject | string {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    return unparsed(path, `Object 'Kind' is missing in '${JSON.stringify(raw ?? null)}'`);
  const pod = raw as Obj;
  if (typeof pod.kind !== 'string' || pod.kind === '') return unparsed(path, `Object 'Kind' is missing in '${JSON.stringify(pod)}'`);
  if (pod.kind !== 'Pod' || (pod.apiVersion ?? 'v1') !== 'v1')
    return unparsed(path, `invalid pod: ${pod.apiVersion ?? ''}, Kind=${pod.kind}`);
  // validation.ValidatePodCreate, the checks a hand-written manifest most often fails
  const errs: string[] = [];
  const meta = (pod.metadata ?? {}) as Obj;
  if (!meta.name) errs.push('metadata.name: Required value: name or generateName is required');
  const containers = (pod.spec?.containers ?? []) as Obj[];
  if (!Array.isArray(containers) || containers.length === 0) errs.push('spec.containers: Required value');
  else
    containers.forEach((c, i) => {
      if (!c?.name) errs.push(`spec.containers[${i}].name: Required value`);
      if (!c?.image) errs.push(`spec.containers[${i}].image: Required value`);
    });
  if (errs.length) return `invalid pod: [${errs.join(', ')}]`;
  const uid = hash128(`${canonical(pod)}host:${node}file:${path}`);
  const tolerations = (pod.spec.tolerations ?? []) as Obj[];
  return {
    ...pod,
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...meta,
      name: `${meta.name}-${node.toLowerCase()}`,
      namespace: meta.namespace || 'default',
      uid,
      annotations: { ...(meta.annotations ?? {}), [CONFIG_HASH]: uid, [CONFIG_SEEN]: seenTime(now), [CONFIG_SOURCE]: 'file' },
    },
    spec: {
      ...pod.spec,
      nodeName: node,
      // so that node problems (NoExecute taints) never evict it
      tolerations: tolerations.some((t) => t.operator === 'Exists' && !t.key && t.effect === 'NoExecute')
        ? tolerations
        : [...tolerations, { operator: 'Exists', effect: 'NoExecute' }],
    },
    status: { phase: 'Pending' },
  } as KubeObject;
}

/** A klog error line (`E1206 14:20:00.123456     226 file.go:NNN] "msg" k="v"`). UNVERIFIED: the pid and source line. */
function klogError(now: number, msg: string, kv: Record<string, string>): string {
  const d = new Date(now);
  const p2 = (n: number) => String(n).padStart(2, '0');
  const head = `E${p2(d.getUTCMonth() + 1)}${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${String(d.getUTCMilliseconds()).padStart(3, '0')}000     226 file.go:187]`;
  return `${head} ${JSON.stringify(msg)}${Object.entries(kv)
    .map(([k, v]) => ` ${k}=${JSON.stringify(v)}`)
    .join('')}\n`;
}

/** A kubelet config's staticPodPath (undefined: none) and fileCheckFrequency; every node of a kind cluster has the same text. */
const staticPodConfig = lastResult((text: string): { readonly dir: string | undefined; readonly periodMs: number } => {
  const config = parseDocument(text).toJS() as Obj | null;
  const dir = config?.staticPodPath;
  const periodMs = durationMs(config?.fileCheckFrequency) ?? FILE_CHECK_MS;
  return { dir: typeof dir !== 'string' || dir === '' ? undefined : dir.replace(/\/+$/, ''), periodMs };
});

export class StaticPodSource {
  /** The static pods by key (`kube-system/etcd-kind-control-plane`), as last listed. */
  private readonly pods = new Map<string, KubeObject>();
  /**
   * Each file's text as last decoded, so an unchanged file keeps its pod (and its config.seen); or,
   * for a file written with the object it encodes (kind's manifests: NodeFiles.value), that object,
   * taken as it is without parsing the text back.
   */
  private readonly texts = new Map<string, { text: string | undefined; value: unknown; pod: KubeObject | undefined; err?: string }>();

  private constructor(
    readonly dir: string,
    readonly periodMs: number,
    private readonly node: string,
    private readonly files: NodeFiles,
    private readonly now: () => number,
    private readonly log: (line: string) => void,
  ) {}

  /** The source the node's kubelet config asks for (staticPodPath, fileCheckFrequency), or none when it names no path. */
  static fromConfig(files: NodeFiles, node: string, now: () => number, log: (line: string) => void): StaticPodSource | undefined {
    const text = files.readText(KUBELET_CONFIG);
    if (text === undefined) return undefined;
    const { dir, periodMs } = staticPodConfig(text);
    if (dir === undefined) return undefined;
    return new StaticPodSource(dir, periodMs, node, files, now, log);
  }

  get(key: string): KubeObject | undefined {
    return this.pods.get(key);
  }

  /** Lists the directory again; the keys of the pods added, edited or removed since the last listing. */
  relist(): string[] {
    const now = this.now();
    const next = new Map<string, KubeObject>();
    const seenFiles = new Set<string>();
    for (const name of (this.files.list(this.dir) ?? []).sort()) {
      if (name.startsWith('.')) continue;
      const path = `${this.dir}/${name}`;
      // a directory lists (stat would render a file whose text waits for its first read)
      if (this.files.list(path) !== undefined) {
        this.log(klogError(now, 'Provided manifest path is a directory, not recursing into manifest path', { path }));
        continue;
      }
      seenFiles.add(path);
      let cached = this.texts.get(path);
      const value = this.files.value(path);
      if (value !== undefined) {
        if (cached?.value !== value) {
          const r = decodeValue(path, value, this.node, now);
          cached = typeof r === 'string' ? { text: undefined, value, pod: undefined, err: r } : { text: undefined, value, pod: r };
          this.texts.set(path, cached);
        }
      } else {
        const text = this.files.readText(path) ?? '';
        if (cached?.text !== text) {
          const r = decode(path, text, this.node, now);
          cached = typeof r === 'string' ? { text, value, pod: undefined, err: r } : { text, value, pod: r };
          this.texts.set(path, cached);
        }
      }
      // a bad file is reported at every listing, as the kubelet does
      if (cached.err) this.log(klogError(now, 'Could not process manifest file', { err: cached.err, path }));
      const key = cached.pod && `${cached.pod.metadata.namespace}/${cached.pod.metadata.name}`;
      // two files naming one pod: the first (in name order) wins
      if (key && !next.has(key)) next.set(key, cached.pod!);
    }
    for (const path of [...this.texts.keys()]) if (!seenFiles.has(path)) this.texts.delete(path);
    const changed: string[] = [];
    for (const [key, pod] of next) if (this.pods.get(key) !== pod) changed.push(key);
    for (const key of this.pods.keys()) if (!next.has(key)) changed.push(key);
    this.pods.clear();
    for (const [k, p] of next) this.pods.set(k, p);
    return changed;
  }
}
