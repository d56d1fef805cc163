// A pod's /etc/resolv.conf as the kubelet forms it (pkg/kubelet/network/dns/dns.go GetPodDNS) and
// containerd writes it (search line, one nameserver line each, options line): dnsPolicy
// ClusterFirst (the default) gives the cluster DNS Service and the namespace's search path with
// the node's search domains after it and ndots:5; ClusterFirst on hostNetwork and Default give the
// node's own resolv.conf (its nameservers, search and options); ClusterFirstWithHostNet gives the
// cluster's even on hostNetwork; None gives only dnsConfig. dnsConfig's nameservers and searches
// are appended (duplicates dropped) and its options merged, the pod's values winning.

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface PodDnsContext {
  /** The kubelet's clusterDNS (kube-dns's ClusterIP); empty when it has none. */
  readonly clusterDns: readonly string[];
  readonly clusterDomain: string;
  /** The node's /etc/resolv.conf (kubelet --resolv-conf). */
  readonly hostResolvConf: string;
}

interface DnsParts {
  nameservers: string[];
  searches: string[];
  options: string[];
}

/** The nameserver, search and options entries of a resolv.conf (as kubelet's parseResolvConf reads them). */
export function parseHostResolvConf(text: string): DnsParts {
  const out: DnsParts = { nameservers: [], searches: [], options: [] };
  for (const line of text.split('\n')) {
    const t = line
      .replace(/[#;].*$/, '')
      .trim()
      .split(/\s+/)
      .filter((x) => x !== '');
    if (t[0] === 'nameserver' && t[1]) out.nameservers.push(t[1]);
    else if (t[0] === 'search') out.searches = t.slice(1).map((s) => s.replace(/\.$/, ''));
    else if (t[0] === 'options') out.options.push(...t.slice(1));
  }
  return out;
}

/** The dnsPolicy that applies (ClusterFirst on hostNetwork is Default). */
export function effectiveDnsPolicy(pod: { spec?: unknown }): 'ClusterFirst' | 'Default' | 'None' {
  const spec = (pod.spec ?? {}) as Obj;
  const policy = (spec.dnsPolicy as string | undefined) ?? 'ClusterFirst';
  if (policy === 'None') return 'None';
  if (policy === 'Default') return 'Default';
  if (policy === 'ClusterFirstWithHostNet') return 'ClusterFirst';
  return spec.hostNetwork === true ? 'Default' : 'ClusterFirst';
}

const dedup = (xs: readonly string[]) => [...new Set(xs)];

/** The pod's resolv.conf text. */
export function podResolvConf(pod: { metadata?: { namespace?: string }; spec?: unknown }, ctx: PodDnsContext): string {
  const spec = (pod.spec ?? {}) as Obj;
  const ns = pod.metadata?.namespace ?? 'default';
  const host = parseHostResolvConf(ctx.hostResolvConf);
  let policy = effectiveDnsPolicy(pod);
  if (policy === 'ClusterFirst' && ctx.clusterDns.length === 0) policy = 'Default';
  let parts: DnsParts;
  if (policy === 'ClusterFirst') {
    const d = ctx.clusterDomain;
    parts = {
      nameservers: [...ctx.clusterDns],
      searches: dedup([`${ns}.svc.${d}`, `svc.${d}`, d, ...host.searches]),
      options: ['ndots:5'],
    };
  } else if (policy === 'Default') parts = { nameservers: host.nameservers, searches: host.searches, options: host.options };
  else parts = { nameservers: [], searches: [], options: [] };
  const cfg = (spec.dnsConfig ?? {}) as Obj;
  if (Array.isArray(cfg.nameservers)) parts.nameservers = dedup([...parts.nameservers, ...(cfg.nameservers as string[])]);
  if (Array.isArray(cfg.searches)) parts.searches = dedup([...parts.searches, ...(cfg.searches as string[])]);
  if (Array.isArray(cfg.options)) {
    const merged = new Map<string, string>();
    for (const o of parts.options) merged.set(o.split(':')[0]!, o);
    for (const o of cfg.options as Obj[])
      if (typeof o.name === 'string') merged.set(o.name, typeof o.value === 'string' ? `${o.name}:${o.value}` : o.name);
    parts.options = [...merged.values()];
  }
  parts.nameservers = parts.nameservers.slice(0, 3);
  let text = '';
  if (parts.searches.length) text += `search ${parts.searches.join(' ')}\n`;
  for (const n of parts.nameservers) text += `nameserver ${n}\n`;
  if (parts.options.length) text += `options ${parts.options.join(' ')}\n`;
  return text;
}
