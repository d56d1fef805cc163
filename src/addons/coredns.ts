// CoreDNS in its pod (coredns/coredns 1.12 with kubeadm's Corefile): a DNS server on UDP and TCP
// port 53 of the pod's network namespace answering from the kubernetes plugin's view of the API
// (coredns-records.ts), forwarding other names to the upstream (coredns-upstream.ts), with
// `cache`, `loadbalance`, the health (:8080/health) and ready (:8181/ready) endpoints, the
// prometheus plugin's /metrics on :9153 (coredns-metrics.ts), and
// `reload`: the Corefile is read from the `coredns` ConfigMap every 30 s of virtual time and a
// changed one replaces the running configuration (coarse: without the kubelet's ConfigMap-volume
// delay). Replies follow CoreDNS's server: the request's id, question and RD bit; AA from the
// kubernetes plugin (and no RA, so dig warns that recursion is not available); the request's OPT
// record reused with its supported options (the client COOKIE echoed) and its UDP size; the reply
// made to fit the client's buffer as CoreDNS's ScrubWriter does (coredns-scrub.ts).
import { sha512 } from '@noble/hashes/sha2.js';
import type { ApiClient, KubeObject } from '../api/index.js';
import type { HostNetwork, ProcessHandle, SocketPeer } from '../host/index.js';
import { type GoHandlerResult, serveGoHttp } from './go-http.js';
import type { Rng, Scheduler } from '../sim/index.js';
import { decodeDns, encodeDns, frameDnsTcp, unframeDnsTcp, type DnsMessage, type DnsRecord, type DnsType } from '../wire/index.js';
import { ClusterIndex, kubernetesAnswer, zoneOf } from './coredns-records.js';
import { parseCorefile, type CoreConfig } from './corefile.js';
import { upstreamAnswer } from './coredns-upstream.js';
import { scrubbedReply } from './coredns-scrub.js';
import { CoreDnsMetrics } from './coredns-metrics.js';

export const COREDNS_VERSION = '1.12.1';
/** The reload plugin's default check interval. */
export const RELOAD_CHECK_MS = 30_000;

export interface CoreDnsOptions {
  readonly api: ApiClient;
  readonly host: HostNetwork;
  readonly clock: Scheduler;
  readonly rng: Rng;
  /** The pod's sandbox (its network namespace on the node). */
  readonly sandbox: string;
  /** ConfigMap holding the Corefile (kube-system/coredns). */
  readonly configMap?: { readonly namespace: string; readonly name: string };
}

export interface CoreDns {
  stop(): void;
  logs(): string;
  /** The number of DNS queries this replica answered (bench and tests). */
  readonly queries: number;
}

const utf8 = new TextEncoder();

function sha512Hex(text: string): string {
  return [...sha512(utf8.encode(text))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Starts CoreDNS in `o.sandbox`; throws HostError when its ports are taken. */
export function startCoreDns(o: CoreDnsOptions): CoreDns {
  const cmRef = o.configMap ?? { namespace: 'kube-system', name: 'coredns' };
  let log = '';
  let queries = 0;
  const index = new ClusterIndex();
  const nowSec = () => Math.floor(o.api.now() / 1000);
  const unwatch: (() => void)[] = [];
  for (const kind of ['namespaces', 'services', 'endpointslices'] as const) {
    for (const obj of o.api.list(kind).items) index.apply(kind, 'ADDED', obj, nowSec());
    unwatch.push(o.api.watch(kind, undefined, {}, (e) => index.apply(kind, e.type, e.object, nowSec())));
  }
  const readCorefile = (): string | undefined => {
    try {
      const cm: KubeObject = o.api.get('configmaps', cmRef.namespace, cmRef.name);
      return (cm as { data?: Record<string, string> }).data?.Corefile;
    } catch {
      return undefined;
    }
  };
  let text = readCorefile() ?? '';
  let config: CoreConfig = parseCorefile(text);
  log += `.:${config.port}\n[INFO] plugin/reload: Running configuration SHA512 = ${sha512Hex(text)}\nCoreDNS-${COREDNS_VERSION}\n`;
  const cache = new Map<string, { msg: Omit<DnsMessage, 'id'>; expires: number }>();
  const metrics = new CoreDnsMetrics();

  /** The records a question gets from the server's plugin chain (kubernetes, then forward). */
  const resolve = (
    qname: string,
    qtype: DnsType,
    depth = 0,
  ): { rcode: DnsMessage['rcode']; aa: boolean; ra: boolean; answers: DnsRecord[]; authorities: DnsRecord[]; additionals: DnsRecord[] } => {
    const k = config.kubernetes;
    const zone = k ? zoneOf(qname, k.zones) : undefined;
    if (k && zone !== undefined) {
      const a = kubernetesAnswer(index, k, zone, qname, qtype);
      if (!a.fallthrough) {
        const answers = [...a.answers];
        let rcode: DnsMessage['rcode'] = a.rcode;
        let authorities = a.authorities;
        if (a.chase && depth < 8) {
          const t = resolve(a.chase, qtype, depth + 1);
          answers.push(...t.answers);
          if (t.answers.length === 0) {
            rcode = t.rcode;
            authorities = t.authorities;
          }
        }
        return { rcode, aa: true, ra: false, answers, authorities, additionals: a.additionals };
      }
    }
    if (!config.forward) return { rcode: 'REFUSED', aa: false, ra: false, answers: [], authorities: [], additionals: [] };
    const key = `${qname}/${qtype}`;
    const now = o.clock.now();
    const hit = cache.get(key);
    if (config.cache && hit && hit.expires > now) {
      const left = Math.ceil((hit.expires - now) / 1000);
      const age = (r: DnsRecord): DnsRecord => ({ ...r, ttl: Math.min(r.ttl, left) });
      return {
        rcode: hit.msg.rcode,
        aa: false,
        ra: true,
        answers: hit.msg.answers.map(age),
        authorities: hit.msg.authorities.map(age),
        additionals: [],
      };
    }
    const u = upstreamAnswer(qname, qtype);
    if (config.cache && !config.cache.disabled.some((z) => zoneOf(qname, [z]) !== undefined)) {
      const ttl = Math.min(config.cache.ttl, ...[...u.answers, ...u.authorities].map((r) => r.ttl));
      cache.set(key, {
        msg: { qr: true, rcode: u.rcode, questions: [], answers: u.answers, authorities: u.authorities, additionals: [] },
        expires: now + ttl * 1000,
      });
    }
    return { rcode: u.rcode, aa: false, ra: true, answers: u.answers, authorities: u.authorities, additionals: [] };
  };

  const answer = (bytes: Uint8Array, udp: boolean, peer: SocketPeer): Uint8Array | undefined => {
    let req: DnsMessage;
    try {
      req = decodeDns(bytes);
    } catch {
      return undefined; // the server drops what it cannot unpack
    }
    if (req.qr) return undefined;
    queries++;
    const q = req.questions[0];
    const base = {
      id: req.id,
      qr: true,
      opcode: 'QUERY' as const,
      rd: req.rd === true,
      cd: req.cd === true,
      questions: req.questions.slice(0, 1),
    };
    const edns = req.edns
      ? { edns: { udpSize: req.edns.udpSize, ...(req.edns.cookie ? { cookie: req.edns.cookie.subarray(0, 8) } : {}) } }
      : {};
    if (!q) return encodeDns({ ...base, rcode: 'FORMERR', answers: [], authorities: [], additionals: [], ...edns });
    const r = resolve(q.name.toLowerCase().replace(/\.$/, ''), q.type);
    let answers = r.answers;
    if (config.loadbalance) answers = shuffleA(answers, o.rng);
    const reply: DnsMessage = {
      ...base,
      aa: r.aa,
      ra: r.ra,
      rcode: r.rcode,
      answers,
      authorities: r.authorities,
      additionals: r.additionals,
      ...edns,
    };
    const out = scrubbedReply(reply, req, udp);
    if (config.prometheus !== undefined) {
      const server = `dns://:${config.port}`;
      // the plugin the metrics recorder finds as the writer: the wrapping writer nearest to it in
      // CoreDNS's plugin order (loadbalance, then cache), else the plugin that answered
      const plugin = config.loadbalance ? 'loadbalance' : config.cache ? 'cache' : r.aa ? 'kubernetes' : config.forward ? 'forward' : '';
      if (config.cache) {
        const now = o.clock.now();
        let success = 0;
        for (const e of cache.values()) if (e.expires > now && e.msg.rcode === 'NOERROR' && e.msg.answers.length) success++;
        metrics.cacheSize(server, ['.'], success, [...cache.values()].filter((e) => e.expires > now).length - success);
      }
      metrics.served({
        server,
        proto: udp ? 'udp' : 'tcp',
        qtype: q.type,
        rcode: reply.rcode,
        plugin,
        requestBytes: bytes.length,
        responseBytes: out.length,
      });
    }
    // the log plugin's default format: {remote}:{port} - {>id} "{type} {class} {name} {proto} {size} {>do} {>bufsize}" {rcode} {>rflags} {rsize} {duration}
    if (config.log) {
      const flags = (['qr', 'aa', 'tc', 'rd', 'ra', 'ad', 'cd'] as const)
        .filter((f) => (f === 'qr' ? true : f === 'tc' ? (out[2]! & 0x02) !== 0 : (reply as unknown as Record<string, boolean>)[f]))
        .join(',');
      log += `[INFO] ${peer.addr}:${peer.port} - ${req.id} "${q.type} IN ${q.name.endsWith('.') ? q.name : `${q.name}.`} ${udp ? 'udp' : 'tcp'} ${bytes.length} ${req.edns?.do === true} ${req.edns?.udpSize ?? 512}" ${reply.rcode} ${flags} ${out.length} 0s\n`;
    }
    return out;
  };

  const handles: ProcessHandle[] = [];
  const listen = (c: CoreConfig) => {
    handles.push(
      o.host.listen(o.sandbox, { proto: 'udp', port: c.port, onDatagram: (data, peer) => answer(data, true, peer) }),
      o.host.listen(o.sandbox, {
        proto: 'tcp',
        port: c.port,
        onStream: (buffered, peer) => {
          const m = unframeDnsTcp(buffered);
          if (!m) return undefined;
          const reply = answer(m.msg, false, peer);
          return { used: m.used, ...(reply ? { reply: frameDnsTcp(reply) } : {}) };
        },
      }),
    );
    const http = (port: number, path: string, page: () => GoHandlerResult) =>
      serveGoHttp(o.host, o.sandbox, port, () => o.api.now(), { [path]: page });
    // the health and ready plugins write "OK" (http.StatusText) and let net/http sniff its type
    const ok = () => ({ body: 'OK' });
    if (c.health !== undefined) handles.push(http(c.health, '/health', ok));
    if (c.ready !== undefined) handles.push(http(c.ready, '/ready', ok));
    // UNVERIFIED: promhttp's Content-Type parameters in client_golang 1.2x
    if (c.prometheus !== undefined)
      handles.push(
        http(c.prometheus, '/metrics', () => ({
          body: metrics.render(),
          type: 'text/plain; version=0.0.4; charset=utf-8; escaping=underscores',
        })),
      );
  };
  listen(config);

  let stopped = false;
  const reloadTick = () => {
    if (stopped) return;
    const now = readCorefile();
    if (config.reload && now !== undefined && now !== text) {
      let next: CoreConfig | undefined;
      try {
        next = parseCorefile(now);
      } catch (e) {
        log += `[ERROR] Restart failed: ${(e as Error).message}\n`;
      }
      if (next) {
        text = now;
        log += `[INFO] Reloading\n[INFO] plugin/reload: Running configuration SHA512 = ${sha512Hex(now)}\n[INFO] Reloading complete\n`;
        handles.splice(0).forEach((h) => h.stop());
        config = next;
        cache.clear();
        listen(config);
      }
    }
    o.clock.schedule(RELOAD_CHECK_MS, reloadTick);
  };
  o.clock.schedule(RELOAD_CHECK_MS, reloadTick);

  return {
    stop() {
      stopped = true;
      unwatch.forEach((u) => u());
      handles.splice(0).forEach((h) => h.stop());
    },
    logs: () => log,
    get queries() {
      return queries;
    },
  };
}

/** loadbalance's round robin: the A records in a random order, the others where they were. */
function shuffleA(records: DnsRecord[], rng: Rng): DnsRecord[] {
  const a = records.filter((r) => r.type === 'A');
  if (a.length < 2) return records;
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(0, i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  let k = 0;
  return records.map((r) => (r.type === 'A' ? a[k++]! : r));
}
