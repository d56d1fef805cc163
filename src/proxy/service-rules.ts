// The rules one service port contributes, as kube-proxy's iptables proxier writes them
// (pkg/proxy/iptables/proxier.go syncProxyRules' per-service loop and
// writeServiceToEndpointRules; endpoint choice from pkg/proxy/topology.go CategorizeEndpoints).
// Pure: one service port and its endpoints in, lines out; the rule set keeps them per service
// so a resync re-renders only the services that changed.
import {
  externallyAccessible,
  usesClusterEndpoints,
  usesLocalEndpoints,
  cidrContains,
  type EndpointInfo,
  type ServicePortInfo,
} from './model.js';
import { endpointChain, serviceChain } from './names.js';

/** What the whole sync shares: node, mark, detectors, capabilities. */
export interface RenderContext {
  readonly nodeIP: number;
  /** Go's %#08x of 1<<masqueradeBit: `0x00004000`. */
  readonly masqueradeMark: string;
  readonly masqueradeAll: boolean;
  /** detect-local as iptables arguments; undefined when no detector is configured (NoOp). */
  readonly ifLocal: readonly string[] | undefined;
  readonly ifNotLocal: readonly string[] | undefined;
  readonly localhostNodePorts: boolean;
  /** The host has the nfacct counters (iptables' nfacct match and the kernel's nfnetlink_acct). */
  readonly nfacct: boolean;
  /** More than 1000 endpoints: endpoint rules go without comments. */
  readonly largeClusterMode: boolean;
}

/** One service port's lines: rules in the shared chains, and the nat chains it owns. */
export interface ServiceRules {
  readonly natServices: string[];
  readonly natNodePorts: string[];
  readonly filterServices: string[];
  readonly filterExternal: string[];
  readonly filterNodePorts: string[];
  readonly filterFirewall: string[];
  /** Owned nat chains (KUBE-SVC/SVL/EXT/FW/SEP) in creation order, each with its rules in order. */
  readonly chains: Map<string, string[]>;
  /** Endpoints this service counts towards large-cluster mode. */
  readonly endpointCount: number;
}

const q = (text: string): string => `"${text}"`;

/** CategorizeEndpoints without topology hints (no node zone label is given, so hints never apply). */
export function categorize(
  svc: ServicePortInfo,
  endpoints: readonly EndpointInfo[],
): { cluster: EndpointInfo[]; local: EndpointInfo[]; reachable: EndpointInfo[]; hasAny: boolean } {
  let cluster: EndpointInfo[] = [];
  let local: EndpointInfo[] = [];
  let hasAny = false;
  if (usesClusterEndpoints(svc)) {
    cluster = endpoints.filter((e) => e.ready);
    if (cluster.length === 0) cluster = endpoints.filter((e) => e.serving && e.terminating);
    if (cluster.length > 0) hasAny = true;
  }
  if (!usesLocalEndpoints(svc)) return { cluster, local, reachable: cluster, hasAny };
  let localReady = false;
  let localServingTerminating = false;
  for (const e of endpoints) {
    if (e.ready) {
      hasAny = true;
      if (e.isLocal) localReady = true;
    } else if (e.serving && e.terminating) {
      hasAny = true;
      if (e.isLocal) localServingTerminating = true;
    }
  }
  if (localReady) local = endpoints.filter((e) => e.isLocal && e.ready);
  else if (localServingTerminating) local = endpoints.filter((e) => e.isLocal && e.serving && e.terminating);
  if (!usesClusterEndpoints(svc)) return { cluster, local, reachable: local, hasAny };
  if (!localServingTerminating || localReady) return { cluster, local, reachable: cluster, hasAny };
  // Terminating local endpoints are not in the cluster list: merge the two (order does not
  // matter, endpoint chains are independent of each other).
  const merged = new Map<string, EndpointInfo>();
  for (const e of [...cluster, ...local]) merged.set(e.text, e);
  return { cluster, local, reachable: [...merged.values()], hasAny };
}

const probabilities: string[] = [];

/**
 * `%0.10f` of 1/n, as kube-proxy formats statistic probabilities (computeProbability). Go rounds
 * the exact binary value to nearest, a tie to even; toFixed rounds a tie up, so the one 1/n that
 * is a tie (n = 2048: 0.00048828125) is rounded here as Go does. Memoized, as upstream's
 * precomputedProbabilities are.
 */
export function probability(n: number): string {
  let p = probabilities[n];
  if (p === undefined) {
    const x = 1 / n;
    const exact = x.toFixed(100).replace(/0+$/, '');
    const tieToEven = exact.length - exact.indexOf('.') === 12 && exact.endsWith('5') && Number(exact.at(-2)) % 2 === 0;
    p = tieToEven ? exact.slice(0, -1) : x.toFixed(10);
    probabilities[n] = p;
  }
  return p;
}

export function serviceRules(svc: ServicePortInfo, endpoints: readonly EndpointInfo[], ctx: RenderContext): ServiceRules {
  const out: ServiceRules = {
    natServices: [],
    natNodePorts: [],
    filterServices: [],
    filterExternal: [],
    filterNodePorts: [],
    filterFirewall: [],
    chains: new Map(),
    endpointCount: endpoints.length,
  };
  const proto = svc.protocol;
  const name = svc.nameString;
  const port = String(svc.port);
  const { cluster, local, reachable, hasAny } = categorize(svc, endpoints);
  const clusterChain = serviceChain('KUBE-SVC-', name, proto);
  const localChain = serviceChain('KUBE-SVL-', name, proto);
  const extChain = serviceChain('KUBE-EXT-', name, proto);
  const fwChain = serviceChain('KUBE-FW-', name, proto);
  const usesClusterChain = cluster.length > 0 && usesClusterEndpoints(svc);
  const usesLocalChain = local.length > 0 && usesLocalEndpoints(svc);

  const internalChain = svc.internalPolicyLocal ? localChain : clusterChain;
  const hasInternal = hasAny && !(svc.internalPolicyLocal && local.length === 0);
  const externalPolicyChain = svc.externalPolicyLocal ? localChain : clusterChain;
  const hasExternal = hasAny && !(svc.externalPolicyLocal && local.length === 0);
  const usesExtChain = hasAny && externallyAccessible(svc);
  const usesFwChain = hasAny && svc.loadBalancerVIPs.length > 0 && svc.loadBalancerSourceRanges.length > 0;
  const lbChain = usesFwChain ? fwChain : extChain;

  let internalTarget = '';
  let internalComment = '';
  let externalTarget = '';
  let externalComment = '';
  if (!hasAny) {
    internalTarget = externalTarget = 'REJECT';
    internalComment = externalComment = q(`${name} has no endpoints`);
  } else {
    if (!hasInternal) {
      internalTarget = 'DROP';
      internalComment = q(`${name} has no local endpoints`);
    }
    if (!hasExternal) {
      externalTarget = 'DROP';
      externalComment = q(`${name} has no local endpoints`);
    }
  }
  const m = `-m ${proto} -p ${proto}`;

  // Capture the clusterIP.
  if (hasInternal)
    out.natServices.push(
      `-A KUBE-SERVICES -m comment --comment ${q(`${name} cluster IP`)} ${m} -d ${svc.clusterIP} --dport ${port} -j ${internalChain}`,
    );
  else
    out.filterServices.push(
      `-A KUBE-SERVICES -m comment --comment ${internalComment} ${m} -d ${svc.clusterIP} --dport ${port} -j ${internalTarget}`,
    );

  for (const ip of svc.externalIPs) {
    if (hasAny)
      out.natServices.push(
        `-A KUBE-SERVICES -m comment --comment ${q(`${name} external IP`)} ${m} -d ${ip} --dport ${port} -j ${extChain}`,
      );
    if (!hasExternal)
      out.filterExternal.push(
        `-A KUBE-EXTERNAL-SERVICES -m comment --comment ${externalComment} ${m} -d ${ip} --dport ${port} -j ${externalTarget}`,
      );
  }
  for (const ip of svc.loadBalancerVIPs) {
    if (hasAny)
      out.natServices.push(
        `-A KUBE-SERVICES -m comment --comment ${q(`${name} loadbalancer IP`)} ${m} -d ${ip} --dport ${port} -j ${lbChain}`,
      );
    if (usesFwChain)
      out.filterFirewall.push(
        `-A KUBE-PROXY-FIREWALL -m comment --comment ${q(`${name} traffic not accepted by ${fwChain}`)} ${m} -d ${ip} --dport ${port} -j DROP`,
      );
  }
  if (!hasExternal) {
    for (const ip of svc.loadBalancerVIPs)
      out.filterExternal.push(
        `-A KUBE-EXTERNAL-SERVICES -m comment --comment ${externalComment} ${m} -d ${ip} --dport ${port} -j ${externalTarget}`,
      );
  }
  if (svc.nodePort !== 0) {
    const np = String(svc.nodePort);
    if (hasAny) {
      if (ctx.localhostNodePorts && ctx.nfacct) {
        out.natNodePorts.push(
          `-A KUBE-NODEPORTS -m comment --comment ${name} ${m} -d 127.0.0.0/8 --dport ${np} -m nfacct --nfacct-name localhost_nps_accepted_pkts -j ${extChain}`,
        );
      }
      out.natNodePorts.push(`-A KUBE-NODEPORTS -m comment --comment ${name} ${m} --dport ${np} -j ${extChain}`);
    }
    if (!hasExternal)
      out.filterExternal.push(
        `-A KUBE-EXTERNAL-SERVICES -m comment --comment ${externalComment} -m addrtype --dst-type LOCAL ${m} --dport ${np} -j ${externalTarget}`,
      );
  }
  if (svc.healthCheckNodePort !== 0) {
    out.filterNodePorts.push(
      `-A KUBE-NODEPORTS -m comment --comment ${q(`${name} health check node port`)} -m tcp -p tcp --dport ${svc.healthCheckNodePort} -j ACCEPT`,
    );
  }

  const rules = (chain: string): string[] => {
    let r = out.chains.get(chain);
    if (!r) out.chains.set(chain, (r = []));
    return r;
  };
  // Internal traffic: masquerade what comes from off-cluster (or everything with masqueradeAll).
  // The rule goes into the internal chain, which the policy-chain code below then fills; the
  // chain is only created there, so keep it pending until then.
  const pending = new Map<string, string[]>();
  if (hasInternal) {
    const args = `-m comment --comment ${q(`${name} cluster IP`)} ${m} -d ${svc.clusterIP} --dport ${port}`;
    if (ctx.masqueradeAll) pending.set(internalChain, [`-A ${internalChain} ${args} -j KUBE-MARK-MASQ`]);
    else if (ctx.ifNotLocal) pending.set(internalChain, [`-A ${internalChain} ${args} ${ctx.ifNotLocal.join(' ')} -j KUBE-MARK-MASQ`]);
  }
  if (usesExtChain) {
    const ext = rules(extChain);
    if (!svc.externalPolicyLocal) {
      ext.push(`-A ${extChain} -m comment --comment ${q(`masquerade traffic for ${name} external destinations`)} -j KUBE-MARK-MASQ`);
    } else {
      if (ctx.ifLocal)
        ext.push(
          `-A ${extChain} -m comment --comment ${q(`pod traffic for ${name} external destinations`)} ${ctx.ifLocal.join(' ')} -j ${clusterChain}`,
        );
      ext.push(
        `-A ${extChain} -m comment --comment ${q(`masquerade LOCAL traffic for ${name} external destinations`)} -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ`,
      );
      ext.push(
        `-A ${extChain} -m comment --comment ${q(`route LOCAL traffic for ${name} external destinations`)} -m addrtype --src-type LOCAL -j ${clusterChain}`,
      );
    }
    if (hasExternal) ext.push(`-A ${extChain} -j ${externalPolicyChain}`);
  }
  if (usesFwChain) {
    const fw = rules(fwChain);
    const head = `-A ${fwChain} -m comment --comment ${q(`${name} loadbalancer IP`)}`;
    let allowFromNode = false;
    for (const c of svc.loadBalancerSourceRanges) {
      fw.push(`${head} -s ${c.text} -j ${extChain}`);
      if (cidrContains(c, ctx.nodeIP)) allowFromNode = true;
    }
    if (allowFromNode) for (const ip of svc.loadBalancerVIPs) fw.push(`${head} -s ${ip} -j ${extChain}`);
    fw.push(`-A ${fwChain} -m comment --comment ${q(`other traffic to ${name} will be dropped by KUBE-PROXY-FIREWALL`)}`);
  }
  const comment = (text: string): string => (ctx.largeClusterMode ? '' : ` -m comment --comment ${text}`);
  const toEndpoints = (chain: string, eps: readonly EndpointInfo[]): void => {
    const r = rules(chain);
    r.push(...(pending.get(chain) ?? []));
    pending.delete(chain);
    if (svc.sessionAffinityClientIP) {
      for (const e of eps) {
        const sep = endpointChain(name, proto, e.text);
        r.push(
          `-A ${chain}${comment(q(`${name} -> ${e.text}`))} -m recent --name ${sep} --rcheck --seconds ${svc.stickyMaxAgeSeconds} --reap -j ${sep}`,
        );
      }
    }
    eps.forEach((e, i) => {
      const sep = endpointChain(name, proto, e.text);
      const stat = i < eps.length - 1 ? ` -m statistic --mode random --probability ${probability(eps.length - i)}` : '';
      r.push(`-A ${chain}${comment(q(`${name} -> ${e.text}`))}${stat} -j ${sep}`);
    });
  };
  if (usesClusterChain) toEndpoints(clusterChain, cluster);
  if (usesLocalChain) toEndpoints(localChain, local);
  for (const e of reachable) {
    const sep = endpointChain(name, proto, e.text);
    const r = rules(sep);
    r.push(`-A ${sep}${comment(name)} -s ${e.ip} -j KUBE-MARK-MASQ`);
    const affinity = svc.sessionAffinityClientIP ? ` -m recent --name ${sep} --set` : '';
    r.push(`-A ${sep}${comment(name)}${affinity} ${m} -j DNAT --to-destination ${e.text}`);
  }
  return out;
}
