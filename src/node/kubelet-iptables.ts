// The kubelet's own iptables rules (pkg/kubelet/kubelet_network_linux.go, v1.29+: initNetworkUtil and
// syncIPTablesRules), made when it starts, before any pod (kube-proxy among them) runs:
// - mangle KUBE-IPTABLES-HINT, an empty chain telling other components which iptables backend the
//   host uses;
// - filter KUBE-FIREWALL, jumped to from the head of OUTPUT and INPUT, holding the martian-packet rule
//   that drops connections to 127.0.0.0/8 from elsewhere (kube-proxy writes the same rule and the
//   same jumps; its EnsureRule finds them and adds none, so they stay last in INPUT and OUTPUT);
// - the Monitor's canary KUBE-KUBELET-CANARY in mangle, nat and filter: checked every minute; once
//   the mangle one is gone (the tables were flushed), it waits up to 5 s, polling every 100 ms, for
//   the nat and filter ones to go too, then makes the rules and the canaries again.
// Each step is an EnsureChain / EnsureRule through host/, so a step already done changes nothing.
// Coarse: the ip6tables client (its hint chain and canaries) is not emulated; the martian rule is
// EnsureRule(Append) in the kubelet, prepended here (the host's EnsureRule prepends): the chain holds
// that rule alone, so it lands in the same place.
import type { HostNetwork, NetHandle } from '../host/index.js';
import { agentStep, type Scheduler } from '../sim/index.js';

const HINT = 'KUBE-IPTABLES-HINT';
const FIREWALL = 'KUBE-FIREWALL';
const CANARY = 'KUBE-KUBELET-CANARY';
const CANARY_TABLES = ['mangle', 'nat', 'filter'] as const;
const MONITOR_INTERVAL_MS = 60_000;
/** utiliptables' iptablesFlushPollTime and iptablesFlushTimeout. */
const FLUSH_POLL_MS = 100;
const FLUSH_TIMEOUT_MS = 5_000;

const MARTIAN_RULE = [
  '-m',
  'comment',
  '--comment',
  'block incoming localnet connections',
  '--dst',
  '127.0.0.0/8',
  '!',
  '--src',
  '127.0.0.0/8',
  '-m',
  'conntrack',
  '!',
  '--ctstate',
  'RELATED,ESTABLISHED,DNAT',
  '-j',
  'DROP',
];

/** syncIPTablesRules for IPv4. */
function syncRules(root: NetHandle): void {
  root.iptablesEnsureChain('mangle', HINT);
  root.iptablesEnsureAll('filter', [
    { chain: FIREWALL },
    { chain: 'OUTPUT', rule: ['-j', FIREWALL] },
    { chain: 'INPUT', rule: ['-j', FIREWALL] },
    { chain: FIREWALL, rule: MARTIAN_RULE },
  ]);
}

function ensureCanaries(root: NetHandle): void {
  for (const t of CANARY_TABLES) root.iptablesEnsureChain(t, CANARY);
}

const hasCanary = (root: NetHandle, table: string): boolean => root.iptablesChainExists(table, CANARY);

/** initNetworkUtil: the rules now, then the canary monitor on the lab clock until stopped() says so. */
export function startKubeletIptables(host: HostNetwork, clock: Scheduler, stopped: () => boolean): void {
  const root = host.at();
  syncRules(root);
  ensureCanaries(root);
  const check = () => {
    if (stopped()) return;
    agentStep(clock, () => {
      if (hasCanary(root, 'mangle')) clock.schedule(MONITOR_INTERVAL_MS, check);
      else waitFlushed(0);
    });
  };
  // the other tables' canaries gone too (or the timeout: "Inconsistent iptables state detected"), then reload
  const waitFlushed = (waited: number) => {
    if (stopped()) return;
    if (waited < FLUSH_TIMEOUT_MS && CANARY_TABLES.slice(1).some((t) => hasCanary(root, t))) {
      clock.schedule(FLUSH_POLL_MS, () => agentStep(clock, () => waitFlushed(waited + FLUSH_POLL_MS)));
      return;
    }
    syncRules(root);
    ensureCanaries(root);
    clock.schedule(MONITOR_INTERVAL_MS, check);
  };
  clock.schedule(MONITOR_INTERVAL_MS, check);
}
