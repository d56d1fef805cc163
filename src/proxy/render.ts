// The render contract (`knetlab kube-proxy render`): the payload kube-proxy's first full sync
// writes on an empty host for the given Services and EndpointSlices, taken exactly as given.
import type { ProxyConfig } from './config.js';
import { required } from './errors.js';
import { IptablesProxier, type HostCapabilities, type NodeFacts, type SyncResult } from './ruleset.js';

export interface RenderInput {
  /** API objects: Services and EndpointSlices (others, which kube-proxy does not watch, are ignored; `List`s are opened). */
  readonly objects: readonly unknown[];
  readonly config: ProxyConfig;
  readonly node: NodeFacts;
  readonly caps: HostCapabilities;
}

export function renderFirstSync(input: RenderInput): SyncResult {
  const proxier = new IptablesProxier(input.node, input.config, input.caps);
  const visit = (o: unknown, where: string): void => {
    if (o === null || o === undefined) return; // an empty YAML document
    if (typeof o !== 'object' || Array.isArray(o)) throw required(where, 'kind', 'each document must be a Kubernetes object');
    const kind = (o as { kind?: unknown }).kind;
    if (kind === undefined) throw required(where, 'kind');
    if (kind === 'List' || (typeof kind === 'string' && kind.endsWith('List'))) {
      const items = (o as { items?: unknown }).items;
      (Array.isArray(items) ? items : []).forEach((item, i) => visit(item, `${where} items[${i}]`));
    } else if (kind === 'Service') proxier.upsertService(o);
    else if (kind === 'EndpointSlice') proxier.upsertEndpointSlice(o);
  };
  input.objects.forEach((o, i) => visit(o, `document ${i + 1}`));
  return proxier.sync();
}

/** The payload's `*table … COMMIT` blocks, for hosts that restore one table at a time. */
export function splitTables(payload: string): Map<string, string> {
  const out = new Map<string, string>();
  // A scan for the COMMIT lines (a regular expression with a look-behind over 11 MB took longer
  // than restoring a tenth of it).
  let from = 0;
  while (from < payload.length) {
    let end = payload.startsWith('COMMIT\n', from) ? from : payload.indexOf('\nCOMMIT\n', from);
    end = end < 0 ? payload.length : end === from ? from + 7 : end + 8;
    const block = payload.slice(from, end);
    const m = /^\*(\S+)/.exec(block);
    if (m) out.set(m[1]!, block);
    from = end;
  }
  return out;
}
