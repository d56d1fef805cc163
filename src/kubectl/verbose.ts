// kubectl -v N (klog): what client-go v0.36.1 logs to stderr at verbosity N. At 1 and up, the
// feature gates' default state when the first client is made (features/envvar.go); at 6 and up,
// the kubeconfig file loaded (tools/clientcmd/loader.go) and each API request's verb, URL, status
// and milliseconds (transport/round_trippers.go at levelsV6). Coarse: the discovery requests of a
// cold cache (`GET /api`, `/apis`) are not logged (knetlab's discovery is always warm), and the
// milliseconds are the emulated server's own; a real kubectl's include TLS and the network.

import { ApiError, type ApiClient, type ResourceInfo } from '../api/index.js';
import type { KubectlEnv } from './env.js';

/** The client-go features kubectl's envvar gates know, with their defaults (known_features.go, v0.36.1), in declaration order; a real kubectl logs them in Go's random map order. */
const FEATURES: readonly (readonly [string, boolean])[] = [
  ['AtomicFIFO', true],
  ['ClientsAllowCARotation', true],
  ['ClientsAllowCBOR', false],
  ['ClientsAllowTLSCacheGC', true],
  ['ClientsPreferCBOR', false],
  ['InOrderInformers', true],
  ['InOrderInformersBatchProcess', true],
  ['InformerResourceVersion', true],
  ['UnlockWhileProcessingFIFO', true],
  ['WatchListClient', true],
];

/** The -v / --v value among kubectl's arguments (before a `--`), or 0. */
export function verbosity(argv: readonly string[]): number {
  let v = 0;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    const m = /^(?:-v|--v)(?:=?(-?\d+))?$/.exec(a);
    if (!m) continue;
    const raw = m[1] ?? argv[i + 1];
    if (raw !== undefined && /^-?\d+$/.test(raw)) v = Number(raw);
  }
  return v;
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  200: 'OK',
  201: 'Created',
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  410: 'Gone',
  422: 'Unprocessable Entity',
  500: 'Internal Server Error',
};

/** Go's url.Values.Encode of one value: letters, digits and -_.~ stay, a space is +. */
const queryEscape = (s: string) =>
  encodeURIComponent(s)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');

/**
 * `env` with its client logging each request as -v N does (N ≥ 6) and the feature gates on the
 * first (N ≥ 1), after the kubeconfig line; `env` itself when N is 0.
 */
export function verboseEnv(env: KubectlEnv, argv: readonly string[], verb: string): KubectlEnv {
  const v = verbosity(argv);
  if (v < 1) return env;
  const client = env.io.client ?? {};
  const pid = client.pid ?? 1;
  // the machine's clock when the front end has one (klog prints real time), else the cluster's
  const wall = env.io.wallClock ?? (() => env.client.now());
  const log = (file: string, text: string) => env.io.stderr(`${klogHeader(wall(), pid, file)}${text}\n`);
  if (v >= 6 && client.kubeconfig) log('loader.go:407', `Config loaded from file:  ${client.kubeconfig}`);
  const inner = env.client;
  const server = serverOf(env);
  let first = true;
  const request = <T>(method: string, path: () => string, status: number, call: () => T): T => {
    if (first) {
      first = false;
      for (const [f, on] of FEATURES) log('envvar.go:195', `"Feature gate default state" feature="${f}" enabled=${on}`);
    }
    const t0 = wall();
    let code = status;
    try {
      return call();
    } catch (e) {
      if (e instanceof ApiError) code = e.status;
      throw e;
    } finally {
      if (v >= 6) {
        const ms = Math.floor(wall() - t0);
        log(
          'round_trippers.go:632',
          `"Response" verb="${method}" url="${server}${path()}" status="${code} ${STATUS_TEXT[code] ?? ''}" milliseconds=${ms}`,
        );
      }
    }
  };
  const info = (resource: string): ResourceInfo | undefined => inner.resources().find((r) => r.resource === resource);
  const url = (resource: string, ns: string | undefined, name?: string, query: Record<string, string | undefined> = {}) => {
    const r = info(resource);
    const base = r?.group ? `/apis/${r.group}/${r.version}` : `/api/${r?.version ?? 'v1'}`;
    const scope = r?.namespaced && ns !== undefined ? `/namespaces/${ns}` : '';
    const q = Object.entries(query)
      .filter(([, x]) => x !== undefined && x !== '')
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, x]) => `${k}=${queryEscape(x!)}`)
      .join('&');
    return `${base}${scope}/${resource}${name === undefined ? '' : `/${name}`}${q ? `?${q}` : ''}`;
  };
  const nsOf = (o: { metadata: { namespace?: string } }) => o.metadata.namespace;
  // kubectl get lists in chunks of 500; other commands' lists are whole
  const limit = verb === 'get' ? '500' : undefined;
  const logged: ApiClient = Object.assign(Object.create(inner) as ApiClient, {
    resources: () => inner.resources(),
    get: (resource: string, ns: string | undefined, name: string) =>
      request(
        'GET',
        () => url(resource, ns, name),
        200,
        () => inner.get(resource, ns, name),
      ),
    list: (resource: string, ns?: string, opts: Parameters<ApiClient['list']>[2] = {}) =>
      request(
        'GET',
        () => url(resource, ns, undefined, { labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector, limit }),
        200,
        () => inner.list(resource, ns, opts),
      ),
    create: (obj: Parameters<ApiClient['create']>[0], opts?: Parameters<ApiClient['create']>[1]) =>
      request(
        'POST',
        () => url(resourceOf(inner, obj), nsOf(obj)),
        201,
        () => inner.create(obj, opts),
      ),
    update: (obj: Parameters<ApiClient['update']>[0], opts?: Parameters<ApiClient['update']>[1]) =>
      request(
        'PUT',
        () => url(resourceOf(inner, obj), nsOf(obj), obj.metadata.name),
        200,
        () => inner.update(obj, opts),
      ),
    updateStatus: (obj: Parameters<ApiClient['updateStatus']>[0], opts?: Parameters<ApiClient['updateStatus']>[1]) =>
      request(
        'PUT',
        () => `${url(resourceOf(inner, obj), nsOf(obj), obj.metadata.name)}/status`,
        200,
        () => inner.updateStatus(obj, opts),
      ),
    patch: (...a: Parameters<ApiClient['patch']>) =>
      request(
        'PATCH',
        () => url(a[0], a[1], a[2]),
        200,
        () => inner.patch(...a),
      ),
    delete: (...a: Parameters<ApiClient['delete']>) =>
      request(
        'DELETE',
        () => url(a[0], a[1], a[2]),
        200,
        () => inner.delete(...a),
      ),
    watch: (...a: Parameters<ApiClient['watch']>) =>
      request(
        'GET',
        () =>
          url(a[0], a[1], undefined, {
            labelSelector: a[2].labelSelector,
            fieldSelector: a[2].fieldSelector,
            resourceVersion: a[2].resourceVersion,
            watch: 'true',
          }),
        200,
        () => inner.watch(...a),
      ),
  });
  return { ...env, client: logged };
}

/** The plural resource of an object, by its apiVersion and kind, as discovery maps them. */
function resourceOf(client: ApiClient, obj: { apiVersion: string; kind: string }): string {
  const [group, version] = obj.apiVersion.includes('/') ? obj.apiVersion.split('/') : ['', obj.apiVersion];
  return (
    client.resources().find((r) => r.group === group && r.kind === obj.kind && r.version === version)?.resource ??
    `${obj.kind.toLowerCase()}s`
  );
}

/** The API server's URL of the current context. */
function serverOf(env: KubectlEnv): string {
  const cfg = env.config;
  const ctx = cfg?.contexts.find((c) => c.name === cfg.currentContext);
  return (ctx && cfg?.server(ctx.cluster)) ?? 'https://127.0.0.1:6443';
}

/** klog's header at wall-clock `ms`: severity, MMDD hh:mm:ss.uuuuuu in local time, the PID right-aligned in 7, file:line. */
export function klogHeader(ms: number, pid: number, file: string): string {
  const t = new Date(ms);
  const p2 = (n: number) => String(n).padStart(2, '0');
  const micros = String(Math.floor((ms % 1000) * 1000)).padStart(6, '0');
  return `I${p2(t.getMonth() + 1)}${p2(t.getDate())} ${p2(t.getHours())}:${p2(t.getMinutes())}:${p2(t.getSeconds())}.${micros} ${String(pid).padStart(7)} ${file}] `;
}
