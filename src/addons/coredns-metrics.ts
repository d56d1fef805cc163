// CoreDNS's prometheus plugin (plugin/metrics, CoreDNS 1.12): what `curl http://<coredns-pod>:9153/metrics`
// prints, in Prometheus's text exposition format as client_golang writes it (families sorted by name,
// labels by name, samples by their label values, `le` last). The emulated subset: coredns_build_info,
// coredns_cache_entries, coredns_dns_requests_total, coredns_dns_responses_total,
// coredns_dns_request_size_bytes, coredns_dns_response_size_bytes and coredns_panics_total, counted from
// the queries the replica serves. Not emulated: request durations, the other plugins' metrics (forward,
// kubernetes, reload…), plugin_enabled, and the Go runtime's and process's own (go_*, process_*).

/** Metrics of one replica (its Prometheus registry outlives Corefile reloads, as the process does). */
export interface Served {
  readonly server: string;
  readonly proto: 'udp' | 'tcp';
  readonly qtype: string;
  readonly rcode: string;
  /** The plugin that wrote the reply, as the metrics plugin's recorder finds it. */
  readonly plugin: string;
  readonly requestBytes: number;
  readonly responseBytes: number;
}

/** vars/monitor.go: the query types counted by name; others count as "other". */
const MONITORED = new Set([
  'AAAA',
  'A',
  'CNAME',
  'DNSKEY',
  'DS',
  'MX',
  'NSEC3',
  'NSEC',
  'NS',
  'PTR',
  'RRSIG',
  'SOA',
  'SRV',
  'TXT',
  'HTTPS',
  'IXFR',
  'AXFR',
  'ANY',
]);
const SIZE_BUCKETS = [0, 100, 200, 300, 400, 511, 1023, 2047, 4095, 8291, 16e3, 32e3, 48e3, 64e3];

// UNVERIFIED: the release image's revision (the v1.12.1 tag's commit) and Go version (its .go-version)
const BUILD = { goversion: 'go1.24.1', revision: '707c7c1', version: '1.12.1' };

type Labels = Readonly<Record<string, string>>;

interface Histogram {
  readonly labels: Labels;
  readonly counts: number[];
  sum: number;
  count: number;
}

const key = (l: Labels) =>
  JSON.stringify(
    Object.keys(l)
      .sort()
      .map((k) => [k, l[k]]),
  );

/** The family's samples in client_golang's order: labels sorted by name, samples by their values. */
function sortedLabels(l: Labels): [string, string][] {
  return Object.keys(l)
    .sort()
    .map((k) => [k, l[k]!] as [string, string]);
}

function labelText(pairs: readonly [string, string][]): string {
  return pairs.length
    ? `{${pairs.map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`).join(',')}}`
    : '';
}

function compareLabels(a: Labels, b: Labels): number {
  const x = sortedLabels(a);
  const y = sortedLabels(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const c = x[i]![1] < y[i]![1] ? -1 : x[i]![1] > y[i]![1] ? 1 : 0;
    if (c) return c;
  }
  return x.length - y.length;
}

export class CoreDnsMetrics {
  private readonly requests = new Map<string, { labels: Labels; n: number }>();
  private readonly responses = new Map<string, { labels: Labels; n: number }>();
  private readonly requestSize = new Map<string, Histogram>();
  private readonly responseSize = new Map<string, Histogram>();
  /** The cache plugin's last reported sizes, once it has served a query. */
  private cache?: { server: string; zones: string; success: number; denial: number };

  /** metrics.ServeDNS then vars.Report: one served query. */
  served(s: Served): void {
    const zone = '.';
    const base = { server: s.server, zone, view: '' };
    this.count(this.requests, { ...base, proto: s.proto, family: '1', type: MONITORED.has(s.qtype) ? s.qtype : 'other' });
    this.count(this.responses, { ...base, rcode: s.rcode, plugin: s.plugin });
    this.observe(this.requestSize, { ...base, proto: s.proto }, s.requestBytes);
    this.observe(this.responseSize, { ...base, proto: s.proto }, s.responseBytes);
  }

  /** cache's gauge, set on every query it sees. */
  cacheSize(server: string, zones: readonly string[], success: number, denial: number): void {
    this.cache = { server, zones: zones.join(','), success, denial };
  }

  private count(m: Map<string, { labels: Labels; n: number }>, labels: Labels): void {
    const k = key(labels);
    const cur = m.get(k);
    if (cur) cur.n++;
    else m.set(k, { labels, n: 1 });
  }

  private observe(m: Map<string, Histogram>, labels: Labels, value: number): void {
    const k = key(labels);
    let h = m.get(k);
    if (!h) m.set(k, (h = { labels, counts: SIZE_BUCKETS.map(() => 0), sum: 0, count: 0 }));
    SIZE_BUCKETS.forEach((b, i) => {
      if (value <= b) h!.counts[i]!++;
    });
    h.sum += value;
    h.count++;
  }

  /** The /metrics page. */
  render(): string {
    const out: string[] = [];
    const family = (name: string, type: string, help: string, samples: string[]) => {
      if (samples.length) out.push(`# HELP ${name} ${help}\n# TYPE ${name} ${type}\n${samples.join('')}`);
    };
    const counters = (name: string, m: Map<string, { labels: Labels; n: number }>) =>
      [...m.values()].sort((a, b) => compareLabels(a.labels, b.labels)).map((c) => `${name}${labelText(sortedLabels(c.labels))} ${c.n}\n`);
    const histograms = (name: string, m: Map<string, Histogram>) =>
      [...m.values()]
        .sort((a, b) => compareLabels(a.labels, b.labels))
        .flatMap((h) => {
          const pairs = sortedLabels(h.labels);
          return [
            ...SIZE_BUCKETS.map((b, i) => `${name}_bucket${labelText([...pairs, ['le', String(b)]])} ${h.counts[i]}\n`),
            `${name}_bucket${labelText([...pairs, ['le', '+Inf']])} ${h.count}\n`,
            `${name}_sum${labelText(pairs)} ${h.sum}\n`,
            `${name}_count${labelText(pairs)} ${h.count}\n`,
          ];
        });
    family(
      'coredns_build_info',
      'gauge',
      "A metric with a constant '1' value labeled by version, revision, and goversion from which CoreDNS was built.",
      [`coredns_build_info${labelText(sortedLabels(BUILD))} 1\n`],
    );
    const c = this.cache;
    family(
      'coredns_cache_entries',
      'gauge',
      'The number of elements in the cache.',
      c
        ? [
            ['denial', c.denial],
            ['success', c.success],
          ].map(
            ([type, n]) =>
              `coredns_cache_entries${labelText(sortedLabels({ server: c.server, type: String(type), view: '', zones: c.zones }))} ${n}\n`,
          )
        : [],
    );
    family(
      'coredns_dns_request_size_bytes',
      'histogram',
      'Size of the EDNS0 UDP buffer in bytes (64K for TCP) per zone and protocol.',
      histograms('coredns_dns_request_size_bytes', this.requestSize),
    );
    family(
      'coredns_dns_requests_total',
      'counter',
      'Counter of DNS requests made per zone, protocol and family.',
      counters('coredns_dns_requests_total', this.requests),
    );
    family(
      'coredns_dns_response_size_bytes',
      'histogram',
      'Size of the returned response in bytes.',
      histograms('coredns_dns_response_size_bytes', this.responseSize),
    );
    family(
      'coredns_dns_responses_total',
      'counter',
      'Counter of response status codes.',
      counters('coredns_dns_responses_total', this.responses),
    );
    family('coredns_panics_total', 'counter', 'A metrics that counts the number of panics.', ['coredns_panics_total 0\n']);
    return out.join('');
  }
}
