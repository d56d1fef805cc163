// `kubectl describe` of Secret, ServiceAccount and Namespace as kubectl's pkg/describe/describe.go
// (v0.36) writes them: describeSecret (each key's size in bytes, a service account token shown),
// describeServiceAccount (its image pull secrets) and describeNamespace (its status, then its
// quotas and limit ranges as DescribeResourceQuotas and DescribeLimitRanges merge them).
import { annotationsMultiline, describeEvents, labelsMultiline, Out, rfc1123z } from './describe-out.js';
import { formatQuantity, parseQuantity } from './quantity.js';
import type { Obj } from './tables.js';

/** The length in bytes of a Secret's base64 value. */
function decodedLength(b64: string): number {
  const clean = b64.replace(/\s/g, '');
  return Math.floor((clean.length * 3) / 4) - (clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0);
}

export function describeSecret(secret: Obj, now: number): string {
  const o = new Out(now);
  const m = secret.metadata ?? {};
  o.w(0, `Name:\t${m.name}\n`);
  o.w(0, `Namespace:\t${m.namespace}\n`);
  labelsMultiline(o, 'Labels', m.labels);
  annotationsMultiline(o, 'Annotations', m.annotations);
  o.w(0, `\nType:\t${secret.type ?? ''}\n`);
  o.w(0, '\nData\n====\n');
  const data = (secret.data ?? {}) as Record<string, string>;
  for (const k of Object.keys(data).sort()) {
    if (k === 'token' && secret.type === 'kubernetes.io/service-account-token') o.w(0, `${k}:\t${atob(data[k]!)}\n`);
    else o.w(0, `${k}:\t${decodedLength(data[k]!)} bytes\n`);
  }
  return o.done();
}

export function describeServiceAccount(sa: Obj, events: Obj[] | undefined, now: number): string {
  const o = new Out(now);
  const m = sa.metadata ?? {};
  o.w(0, `Name:\t${m.name}\n`);
  o.w(0, `Namespace:\t${m.namespace}\n`);
  labelsMultiline(o, 'Labels', m.labels);
  annotationsMultiline(o, 'Annotations', m.annotations);
  const pulls = ((sa.imagePullSecrets ?? []) as Obj[]).map((s) => String(s.name ?? ''));
  if (pulls.length === 0) o.w(0, 'Image pull secrets:\t<none>\n');
  pulls.forEach((name, i) => o.w(0, `${i ? '                   ' : 'Image pull secrets:'}\t${name}\n`));
  describeEvents(o, events);
  return o.done();
}

/** Quantity.String(): the canonical form; an absent one is 0. */
const quantity = (v: unknown) => {
  const q = parseQuantity(v as string | number | undefined);
  return q ? formatQuantity(q) : '0';
};

const QUOTA_SCOPE_HELP: Record<string, string> = {
  Terminating:
    'Matches all pods that have an active deadline. These pods have a limited lifespan on a node before being actively terminated by the system.',
  NotTerminating:
    'Matches all pods that do not have an active deadline. These pods usually include long running pods whose container command is not expected to terminate.',
  BestEffort: 'Matches all pods that do not have resource requirements set. These pods have a best effort quality of service.',
  NotBestEffort:
    'Matches all pods that have at least one resource requirement set. These pods have a burstable or guaranteed quality of service.',
};

export function describeNamespace(ns: Obj, quotas: Obj[], limitRanges: Obj[], now: number): string {
  const o = new Out(now);
  const m = ns.metadata ?? {};
  o.w(0, `Name:\t${m.name}\n`);
  labelsMultiline(o, 'Labels', m.labels);
  annotationsMultiline(o, 'Annotations', m.annotations);
  o.w(0, `Status:\t${ns.status?.phase ?? ''}\n`);
  const conditions = (ns.status?.conditions ?? []) as Obj[];
  if (conditions.length) {
    o.w(0, 'Conditions:\n');
    o.w(1, 'Type\tStatus\tLastTransitionTime\tReason\tMessage\n');
    o.w(1, '----\t------\t------------------\t------\t-------\n');
    for (const c of conditions)
      o.w(1, `${c.type ?? ''}\t${c.status ?? ''}\t${rfc1123z(c.lastTransitionTime)}\t${c.reason ?? ''}\t${c.message ?? ''}\n`);
  }
  o.w(0, '\n');
  if (quotas.length === 0) o.w(0, 'No resource quota.\n');
  else {
    o.w(0, 'Resource Quotas\n');
    for (const q of [...quotas].sort((a, b) => String(a.metadata?.name).localeCompare(String(b.metadata?.name)))) {
      o.w(1, `Name:\t${q.metadata?.name}\n`);
      const scopes = [...((q.spec?.scopes ?? []) as string[])].sort();
      if (scopes.length) {
        o.w(1, `Scopes:\t${scopes.join(', ')}\n`);
        for (const s of scopes) if (QUOTA_SCOPE_HELP[s]) o.w(1, `* ${QUOTA_SCOPE_HELP[s]}\n`);
      }
      o.w(1, 'Resource\tUsed\tHard\n');
      o.w(1, '--------\t---\t---\n');
      const hard = (q.status?.hard ?? {}) as Record<string, unknown>;
      for (const r of Object.keys(hard).sort()) o.w(1, `${r}\t${quantity(q.status?.used?.[r])}\t${quantity(hard[r])}\n`);
    }
  }
  o.w(0, '\n');
  if (limitRanges.length === 0) o.w(0, 'No LimitRange resource.\n');
  else {
    o.w(0, 'Resource Limits\n Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n');
    o.w(0, ' ----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n');
    for (const lr of limitRanges)
      for (const item of (lr.spec?.limits ?? []) as Obj[]) {
        const parts = ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'] as const;
        // describeLimitRangeSpec walks a Go map (no order); here the resource names in order
        const names = [...new Set(parts.flatMap((p) => Object.keys(item[p] ?? {})))].sort();
        const cell = (p: (typeof parts)[number], r: string) => (item[p]?.[r] === undefined ? '-' : quantity(item[p][r]));
        for (const r of names)
          o.w(
            0,
            ` ${item.type ?? ''}\t${r}\t${cell('min', r)}\t${cell('max', r)}\t${cell('defaultRequest', r)}\t${cell('default', r)}\t${cell('maxLimitRequestRatio', r)}\n`,
          );
      }
  }
  return o.done();
}
