// A projected volume's files as the kubelet's projected plugin writes them: the ServiceAccount
// admission's kube-api-access-* volume gives every container /var/run/secrets/kubernetes.io/
// serviceaccount/{token,ca.crt,namespace}, which scripts read (`$(cat …/namespace)`). Coarse: the
// token has the real claims but is not signed (the API server here checks no token).
import type { KubeObject } from '../api/index.js';
import { fromBase64 } from './journal.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const enc = new TextEncoder();
const b64url = (text: string) => btoa(text).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');

/** The bound service account token's claims (serviceaccount/claims.go), unsigned. */
function token(pod: KubeObject, expirationSeconds: number, nowS: number): string {
  const spec = pod.spec as Obj;
  const ns = pod.metadata.namespace ?? 'default';
  const sa = (spec.serviceAccountName as string | undefined) ?? 'default';
  const iss = 'https://kubernetes.default.svc.cluster.local';
  const claims = {
    aud: [iss],
    exp: nowS + expirationSeconds,
    iat: nowS,
    iss,
    'kubernetes.io': {
      namespace: ns,
      ...(spec.nodeName ? { node: { name: spec.nodeName } } : {}),
      pod: { name: pod.metadata.name, uid: pod.metadata.uid },
      serviceaccount: { name: sa },
    },
    nbf: nowS,
    sub: `system:serviceaccount:${ns}:${sa}`,
  };
  return `${b64url(JSON.stringify({ alg: 'RS256', kid: 'knetlab' }))}.${b64url(JSON.stringify(claims))}.${b64url('knetlab: not signed')}`;
}

/** A downwardAPI fieldRef's value (the fields a pod's own metadata and spec give). */
function field(pod: KubeObject, path: string): string | undefined {
  const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (m) return (pod.metadata as Obj)[m[1]!]?.[m[2]!];
  const direct: Record<string, unknown> = {
    'metadata.name': pod.metadata.name,
    'metadata.namespace': pod.metadata.namespace ?? 'default',
    'metadata.uid': pod.metadata.uid,
    'spec.nodeName': (pod.spec as Obj).nodeName,
    'spec.serviceAccountName': (pod.spec as Obj).serviceAccountName,
    'status.podIP': (pod.status as Obj | undefined)?.podIP,
    'status.hostIP': (pod.status as Obj | undefined)?.hostIP,
  };
  const v = direct[path];
  return typeof v === 'string' ? v : undefined;
}

/** The files of `projected`'s sources, by path under the mount (a missing configMap or secret gives none). */
export function projectedFiles(
  pod: KubeObject,
  projected: Obj,
  get: (kind: 'configmaps' | 'secrets', name: string) => KubeObject | undefined,
  nowS: number,
): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const s of (projected.sources ?? []) as Obj[]) {
    if (s.serviceAccountToken)
      out.set(s.serviceAccountToken.path, enc.encode(token(pod, s.serviceAccountToken.expirationSeconds ?? 3600, nowS)));
    for (const [kind, src] of [
      ['configmaps', s.configMap],
      ['secrets', s.secret],
    ] as const) {
      if (!src) continue;
      let obj: KubeObject | undefined;
      try {
        obj = get(kind, src.name as string);
      } catch {
        continue;
      }
      const data = ((obj as Obj | undefined)?.data ?? {}) as Record<string, string>;
      const items = (src.items ?? Object.keys(data).map((key) => ({ key, path: key }))) as Obj[];
      for (const i of items)
        if (data[i.key] !== undefined) out.set(i.path, kind === 'secrets' ? fromBase64(data[i.key]!) : enc.encode(data[i.key]!));
    }
    for (const i of (s.downwardAPI?.items ?? []) as Obj[]) {
      const v = i.fieldRef ? field(pod, i.fieldRef.fieldPath as string) : undefined;
      if (v !== undefined) out.set(i.path, enc.encode(v));
    }
  }
  return out;
}
