// The parts of a Corefile (CoreDNS's caddyfile dialect) the emulated server acts on: the server
// block's port, and the kubernetes, forward, cache, loadbalance, health, ready, log, reload and
// prometheus plugins with the options kubeadm's Corefile uses. Other plugins are accepted and do
// nothing knetlab can show (errors, loop).
import type { KubernetesPlugin } from './coredns-records.js';

export interface CoreConfig {
  readonly port: number;
  readonly kubernetes?: KubernetesPlugin;
  readonly forward: boolean;
  /** cache's TTL cap (seconds) and the zones whose answers it does not keep; undefined without cache. */
  readonly cache?: { readonly ttl: number; readonly disabled: readonly string[] };
  readonly loadbalance: boolean;
  readonly health?: number;
  readonly ready?: number;
  readonly log: boolean;
  readonly reload: boolean;
  /** The prometheus plugin's metrics port (its address's, 9153 by default). */
  readonly prometheus?: number;
}

interface Directive {
  readonly args: string[];
  readonly block: Directive[];
}

function tokenize(text: string): string[][] {
  const lines: string[][] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') continue;
    // `{` and `}` are tokens of their own
    lines.push(
      line
        .replace(/([{}])/g, ' $1 ')
        .split(/\s+/)
        .filter((t) => t !== ''),
    );
  }
  return lines;
}

function parseBlock(lines: string[][], at: { i: number }): Directive[] {
  const out: Directive[] = [];
  while (at.i < lines.length) {
    const toks = lines[at.i++]!;
    if (toks[0] === '}') return out;
    const open = toks[toks.length - 1] === '{';
    const args = open ? toks.slice(0, -1) : toks;
    const block = open ? parseBlock(lines, at) : [];
    out.push({ args, block });
  }
  return out;
}

/** Parses a Corefile's first server block; throws Error with CoreDNS's kind of message on what it cannot read. */
export function parseCorefile(text: string): CoreConfig {
  const top = parseBlock(tokenize(text), { i: 0 });
  const server = top.find((d) => d.block.length > 0 || d.args.length > 0);
  if (!server) throw new Error('Corefile has no server block');
  const key = server.args[0] ?? '.:53';
  const port = Number(/:(\d+)$/.exec(key)?.[1] ?? 53);
  let kubernetes: KubernetesPlugin | undefined;
  let forward = false;
  let cache: CoreConfig['cache'];
  let loadbalance = false;
  let health: number | undefined;
  let ready: number | undefined;
  let log = false;
  let reload = false;
  let prometheus: number | undefined;
  const portOf = (addr: string | undefined, dflt: number) => (addr ? Number(/:(\d+)$/.exec(addr)?.[1] ?? dflt) : dflt);
  for (const d of server.block) {
    const [name, ...args] = d.args;
    switch (name) {
      case 'kubernetes': {
        const zones = args.map((z) => z.toLowerCase().replace(/\.$/, ''));
        let ttl = 5;
        let pods: KubernetesPlugin['pods'] = 'disabled';
        let fallthrough: string[] = [];
        for (const o of d.block) {
          const [k, ...v] = o.args;
          if (k === 'ttl') {
            ttl = Number(v[0]);
            if (!Number.isInteger(ttl) || ttl < 0 || ttl > 3600)
              throw new Error(`plugin/kubernetes: ttl must be in range [0, 3600]: ${v[0]}`);
          } else if (k === 'pods') {
            if (v[0] !== 'disabled' && v[0] !== 'insecure' && v[0] !== 'verified')
              throw new Error(`plugin/kubernetes: wrong value for pods: ${v[0]},  must be one of: disabled, verified, insecure`);
            pods = v[0];
          } else if (k === 'fallthrough') fallthrough = v.length ? v.map((z) => z.toLowerCase().replace(/\.$/, '')) : zones;
        }
        kubernetes = { zones: zones.length ? zones : ['cluster.local'], ttl, pods, fallthrough };
        break;
      }
      case 'forward':
        forward = true;
        break;
      case 'cache': {
        const disabled: string[] = [];
        for (const o of d.block)
          if (o.args[0] === 'disable') disabled.push(...o.args.slice(2).map((z) => z.toLowerCase().replace(/\.$/, '')));
        cache = { ttl: args[0] ? Number(args[0]) : 3600, disabled };
        break;
      }
      case 'loadbalance':
        loadbalance = true;
        break;
      case 'health':
        health = portOf(args[0], 8080);
        break;
      case 'ready':
        ready = portOf(args[0], 8181);
        break;
      case 'log':
        log = true;
        break;
      case 'reload':
        reload = true;
        break;
      case 'prometheus':
        prometheus = portOf(args[0], 9153);
        break;
      default:
        break;
    }
  }
  return {
    port,
    ...(kubernetes ? { kubernetes } : {}),
    forward,
    ...(cache ? { cache } : {}),
    loadbalance,
    ...(health !== undefined ? { health } : {}),
    ...(ready !== undefined ? { ready } : {}),
    log,
    reload,
    ...(prometheus !== undefined ? { prometheus } : {}),
  };
}
