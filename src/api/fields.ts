// Field selectors (`metadata.name=x,spec.nodeName!=n`): `=`, `==`, `!=` on the fields each resource's
// registry supports (its GetAttrs / field label conversion); any other field is refused as upstream does.
import { badRequest } from './errors.js';
import type { KubeObject } from './types.js';

const SUPPORTED: Record<string, readonly string[]> = {
  pods: [
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'spec.hostNetwork',
    'status.phase',
    'status.podIP',
    'status.podIPs',
    'status.nominatedNodeName',
  ],
  events: [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
  secrets: ['type'],
  nodes: ['spec.unschedulable'],
  namespaces: ['status.phase'],
  replicasets: ['status.replicas'],
  services: ['spec.clusterIP', 'spec.type'],
};

/** Fields a watch can be indexed by: a watcher of one value of them sees only the objects with that value. */
const INDEXED_FIELDS: readonly string[] = ['metadata.name', 'spec.nodeName'];

/**
 * The (field, value) of a selector that is one equality on an indexed field (`spec.nodeName=node1`,
 * as a kubelet watches its pods; `metadata.name=node1`, as kube-proxy watches its node); undefined otherwise.
 */
export function indexedRequirement(text: string | undefined): { field: string; value: string } | undefined {
  if (text === undefined || text.includes(',')) return undefined;
  const m = /^\s*([^=!\s]+)\s*(==|=)\s*(.*?)\s*$/.exec(text);
  if (!m || !INDEXED_FIELDS.includes(m[1]!) || m[3] === '') return undefined;
  return { field: m[1]!, value: m[3]! };
}

function scalar(v: unknown): string {
  return v === undefined || v === null ? '' : String(v);
}

/** An object's value of a selectable field, as selectors compare it (missing is ''). */
export function fieldValue(o: KubeObject, field: string): string {
  // the two fields every kubelet's and kube-proxy's watch reads, without splitting the path
  if (field === 'spec.nodeName') return scalar((o.spec as { nodeName?: unknown } | undefined)?.nodeName);
  if (field === 'metadata.name') return scalar(o.metadata.name);
  if (field === 'source') return String((o.source as { component?: string } | undefined)?.component ?? '');
  if (field === 'status.podIPs') return String((o.status as { podIPs?: { ip: string }[] } | undefined)?.podIPs?.[0]?.ip ?? '');
  let v: unknown = o;
  for (const seg of field.split('.')) v = (v as Record<string, unknown> | undefined)?.[seg];
  return v === undefined || v === null ? '' : String(v);
}

export function fieldSelectorMatcher(resource: string, namespaced: boolean, text: string): (o: KubeObject) => boolean {
  const allowed = new Set(['metadata.name', ...(namespaced ? ['metadata.namespace'] : []), ...(SUPPORTED[resource] ?? [])]);
  const reqs = text
    .split(',')
    .filter((p) => p.trim())
    .map((part) => {
      const m = /^\s*([^=!\s]+)\s*(==|!=|=)\s*(.*?)\s*$/.exec(part);
      if (!m) throw badRequest(`invalid selector: '${text}'; can't understand '${part}'`);
      const [, field, op, value] = m as unknown as [string, string, string, string];
      if (!allowed.has(field)) throw badRequest(`field label not supported: ${field}`);
      return { field, neg: op === '!=', value };
    });
  return (o) => reqs.every((r) => (fieldValue(o, r.field) === r.value) !== r.neg);
}
