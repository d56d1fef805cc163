// etcd's metrics listener, which kubeadm opens with --listen-metrics-urls=http://127.0.0.1:2381 and
// probes (etcd v3.6: server/embed/etcd.go serveMetrics, etcdhttp/health.go, etcdhttp/metrics.go):
// - /livez, /readyz: GET only (else http.Error 405 with Allow: GET); `ok\n` as text/plain + nosniff,
//   each check's `[+]name ok` line before it with ?verbose; ?exclude=name leaves a check out;
//   /livez/<check> and /readyz/<check> run one check. /livez checks serializable_read; /readyz
//   data_corruption, serializable_read, linearizable_read, non_learner.
// - /health: `{"health":"true","reason":""}` with net/http's sniffed type.
// - /metrics: promhttp's text format. Emulated subset: has_leader, the health counters and gauges
//   those endpoints keep, server version, promhttp's own scrape counters. Not emulated: raft, mvcc,
//   disk, gRPC, go_* and process_* families. The page goes out with a Content-Length (knetlab's curl
//   reads no chunked body), where net/http sends a page over 2 KiB chunked.
// This etcd is always healthy, a leader and not a learner: every check passes (no alarms, no quorum
// loss). Go lists the checks of ?verbose in map order (random); here in registration order.
import type { GoMux, GoReply, GoRequest } from '../../wire/index.js';
import { goError } from '../../wire/index.js';

const LIVEZ = ['serializable_read'];
const READYZ = ['data_corruption', 'serializable_read', 'linearizable_read', 'non_learner'];

/** prometheus/common expfmt.Negotiate's answer to a client that asks for nothing (curl). */
const PROM_TEXT = 'text/plain; version=0.0.4; charset=utf-8; escaping=underscores';

/** Go's float formatting in the text format ('g', shortest): 1e+06 from a million on. */
function goFloat(n: number): string {
  return n < 1e6 ? String(n) : n.toExponential().replace(/e\+(\d)$/, 'e+0$1');
}

/** One etcd process's metrics listener (its counters start at zero with the process). */
export function etcdMetricsMux(version: string): GoMux {
  let healthSuccess = 0;
  let scrapes = 0;
  /** `name,type` -> passes counted (failures never happen here). */
  const checks = new Map<string, number>();

  const methodNotAllowed = (r: GoRequest): GoReply | undefined =>
    r.method === 'GET' ? undefined : goError(405, 'Method Not Allowed', { Allow: 'GET' });

  // newHealthHandler: run the checks (each recorded in the healthcheck metrics), then `ok`; only the
  // root path reads ?exclude
  const healthz =
    (type: string, names: readonly string[], root = false) =>
    (r: GoRequest): GoReply => {
      const refused = methodNotAllowed(r);
      if (refused) return refused;
      const excluded = new Set(root ? r.query.getAll('exclude') : []);
      const run = names.filter((n) => !excluded.has(n));
      for (const n of run) checks.set(`${n},${type}`, (checks.get(`${n},${type}`) ?? 0) + 1);
      const reason = run.map((n) => `[+]${n} ok\n`).join('');
      return {
        body: `${r.query.has('verbose') ? reason : ''}ok\n`,
        headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
      };
    };

  const family = (name: string, type: string, help: string, samples: readonly string[]) =>
    samples.length ? `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n${samples.map((s) => `${name}${s}\n`).join('')}` : '';

  const metrics = (): string => {
    // client_golang sorts samples by their label values: name, then type
    const keys = [...checks.keys()].sort();
    const labels = (k: string) => {
      const [name, type] = k.split(',');
      return { name, type };
    };
    const page = [
      family('etcd_server_has_leader', 'gauge', 'Whether or not a leader exists. 1 is existence, 0 is not.', [' 1']),
      family('etcd_server_health_failures', 'counter', 'The total number of failed health checks', [' 0']),
      family('etcd_server_health_success', 'counter', 'The total number of successful health checks', [` ${goFloat(healthSuccess)}`]),
      family(
        'etcd_server_healthcheck',
        'gauge',
        'The result of each kind of healthcheck.',
        keys.map((k) => `{name="${labels(k).name}",type="${labels(k).type}"} 1`),
      ),
      family(
        'etcd_server_healthchecks_total',
        'counter',
        'The total number of each kind of healthcheck.',
        keys.map((k) => `{name="${labels(k).name}",status="success",type="${labels(k).type}"} ${goFloat(checks.get(k)!)}`),
      ),
      family('etcd_server_version', 'gauge', "Which version is running. 1 for 'server_version' label with current version.", [
        `{server_version="${version}"} 1`,
      ]),
      family('promhttp_metric_handler_requests_in_flight', 'gauge', 'Current number of scrapes being served.', [' 1']),
      // counted when a scrape ends, so a page shows the scrapes before it
      family('promhttp_metric_handler_requests_total', 'counter', 'Total number of scrapes by HTTP status code.', [
        `{code="200"} ${goFloat(scrapes)}`,
        '{code="500"} 0',
        '{code="503"} 0',
      ]),
    ];
    scrapes++;
    return page.join('');
  };

  return {
    handlers: {
      '/health': (r) => {
        const refused = methodNotAllowed(r);
        if (refused) return refused;
        healthSuccess++;
        return { body: JSON.stringify({ health: 'true', reason: '' }) };
      },
      '/livez': healthz('livez', LIVEZ, true),
      '/readyz': healthz('readyz', READYZ, true),
      ...Object.fromEntries(LIVEZ.map((n) => [`/livez/${n}`, healthz('livez', [n])])),
      ...Object.fromEntries(READYZ.map((n) => [`/readyz/${n}`, healthz('readyz', [n])])),
      '/metrics': () => ({ body: metrics(), headers: { 'Content-Type': PROM_TEXT } }),
    },
  };
}
