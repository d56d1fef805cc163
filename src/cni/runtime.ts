// The CNI runtime as libcni (containernetworking/cni) runs it for containerd: the lexically first
// network configuration in /etc/cni/net.d, each plugin of the list looked up in /opt/cni/bin, run
// in order for ADD (each given the previous result) and in reverse for DEL, any failure (a missing
// binary too) wrapped as `plugin type="ptp" failed (add): …` (libcni/api.go AddNetworkList).
// Each plugin's configuration gets the list's name and cniVersion, prevResult and the runtime's
// capability arguments it asked for (buildOneConfig, injectRuntimeConfig). Plugins are ours
// (loopback, ptp, bridge, host-local, portmap, flannel) and configure the node only through host/.
// A plugin is callable when /opt/cni/bin holds a regular file of its name (invoke.FindInPath)
// with an execute bit (else exec's "permission denied"): whatever its bytes, the file stands for
// the plugin of that name, so `docker cp bridge NODE:/opt/cni/bin/bridge` makes bridge available.
// A file whose name knetlab does not emulate fails with a clear knetlab message.
import type { HostNetwork } from '../host/index.js';
import type { NodeFiles, Rng } from '../sim/index.js';
import { bridgeAdd, bridgeCheck, bridgeDel } from './bridge.js';
import { flannelAdd, flannelDel } from './flannel.js';
import { HostLocal, type HostLocalConf } from './host-local.js';
import { randomVethName, type CniArgs, type CniOp, type PluginContext } from './plugin.js';
import { portmapAdd, portmapCheck, portmapDel } from './portmap.js';
import { ptpAdd, ptpDel, type PtpArgs } from './ptp.js';
import { CNI_ERR, CniError, type CniResult, type NetConfList, type PluginConf } from './types.js';

export const CNI_CONF_DIR = '/etc/cni/net.d';
export const CNI_BIN_DIR = '/opt/cni/bin';
/** The plugins knetlab carries out (a file of another name in /opt/cni/bin is found but not run). */
export const EMULATED_PLUGINS: readonly string[] = ['bridge', 'flannel', 'host-local', 'loopback', 'portmap', 'ptp'];

/** The attachment libcni's RuntimeConf describes. */
export interface Attachment extends CniArgs {
  /** CapabilityArgs: `portMappings` and friends, given to the plugins whose `capabilities` ask for them. */
  readonly runtimeConfig?: Readonly<Record<string, unknown>>;
}

const decoder = new TextDecoder();

/** A network configuration file's content as libcni loads it (ConfListFromBytes, ConfFromBytes); undefined when libcni skips it. */
function parseNetConf(name: string, file: string, data: Uint8Array): NetConfList | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(decoder.decode(data));
  } catch {
    return undefined; // libcni skips what it cannot parse
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const o = raw as Record<string, unknown>;
  if (name.endsWith('.conflist')) {
    if (typeof o.name !== 'string' || !Array.isArray(o.plugins) || o.plugins.length === 0) return undefined;
    return { cniVersion: String(o.cniVersion ?? '0.3.1'), name: o.name, plugins: o.plugins as PluginConf[], file };
  }
  if (typeof o.type !== 'string' || typeof o.name !== 'string') return undefined;
  return { cniVersion: String(o.cniVersion ?? '0.3.1'), name: o.name, plugins: [o as PluginConf], file };
}

export class CniRuntime {
  private readonly ipam: HostLocal;
  /** The configuration files read so far: their bytes when read and what they gave. */
  private readonly parsed = new Map<string, { readonly data: Uint8Array; readonly net: NetConfList | undefined }>();
  /** The configuration directory's candidate names, as of its stamp (NodeFiles.dirStamp): asked at every sandbox. */
  private names: { readonly stamp: number | undefined; readonly names: readonly (readonly [name: string, file: string])[] } | undefined;

  constructor(
    private readonly host: HostNetwork,
    private readonly files: NodeFiles,
    private readonly rng: Rng,
  ) {
    this.ipam = new HostLocal(files);
    this.ctx = { host, files, rng, delegate: (t, o, c, args) => this.invoke(t, o, c, args) };
  }

  /** What a plugin gets besides its configuration: the same for every call (made once, not per plugin run). */
  private readonly ctx: PluginContext;

  /** The network the runtime uses: the lexically first *.conf, *.conflist or *.json; undefined while there is none (NetworkReady=false). */
  config(): NetConfList | undefined {
    const stamp = this.files.dirStamp(CNI_CONF_DIR);
    if (!this.names || this.names.stamp !== stamp)
      this.names = {
        stamp,
        names: (this.files.list(CNI_CONF_DIR) ?? [])
          .filter((n) => /\.(conflist|conf|json)$/.test(n))
          .map((n) => [n, `${CNI_CONF_DIR}/${n}`] as const),
      };
    for (const [name, file] of this.names.names) {
      const data = this.files.read(file);
      if (data === undefined) continue;
      // a file's bytes are replaced, never changed in place, when it is written: parsed once per version
      const known = this.parsed.get(file);
      if (known?.data === data) {
        if (known.net) return known.net;
        continue;
      }
      const net = parseNetConf(name, file, data);
      this.parsed.set(file, { data, net });
      if (net) return net;
    }
    return undefined;
  }

  /** invoke.FindInPath then exec: the plugin's file must be a regular file with an execute bit. */
  private binary(type: string): void {
    if (type === '') throw new CniError(CNI_ERR.INTERNAL, 'no plugin name provided');
    if (type.includes('/')) throw new CniError(CNI_ERR.INTERNAL, `invalid plugin name: ${type}`);
    const st = this.files.stat(`${CNI_BIN_DIR}/${type}`);
    if (!st || st.type !== 'file') throw new CniError(CNI_ERR.INTERNAL, `failed to find plugin "${type}" in path [${CNI_BIN_DIR}]`);
    if ((st.mode & 0o111) === 0)
      throw new CniError(CNI_ERR.INTERNAL, `netplugin failed with no error message: fork/exec ${CNI_BIN_DIR}/${type}: permission denied`);
    if (!EMULATED_PLUGINS.includes(type))
      throw new CniError(
        CNI_ERR.INTERNAL,
        `plugin "${type}" (${CNI_BIN_DIR}/${type}) is not emulated by knetlab; it emulates ${EMULATED_PLUGINS.join(', ')}`,
      );
  }

  private wrap(p: PluginConf, op: 'add' | 'delete' | 'check', e: unknown): Error {
    const name = typeof p.name === 'string' && p.name !== '' ? ` name="${p.name}"` : '';
    const text = e instanceof Error ? e.message : String(e);
    // libcni's AddNetworkList wraps every plugin's failure, a missing binary (FindInPath) included
    return new CniError(e instanceof CniError ? e.code : CNI_ERR.INTERNAL, `plugin type="${p.type}"${name} failed (${op}): ${text}`);
  }

  /** buildOneConfig + injectRuntimeConfig: the configuration one plugin of the list reads on stdin. */
  private pluginConf(net: NetConfList, p: PluginConf, a: Attachment, prev: CniResult | undefined): PluginConf {
    const rc: Record<string, unknown> = {};
    for (const [cap, on] of Object.entries(p.capabilities ?? {}))
      if (on && a.runtimeConfig && cap in a.runtimeConfig) rc[cap] = a.runtimeConfig[cap];
    // Object.assign, not a spread followed by fields: V8 (Node 20) takes microseconds for those.
    const set: Record<string, unknown> = { name: net.name, cniVersion: net.cniVersion };
    if (prev) set.prevResult = prev;
    if (Object.keys(rc).length) set.runtimeConfig = rc;
    return Object.assign({}, p, set);
  }

  /** ADD: every plugin of the list in order, each given the previous result; returns the last result. */
  add(net: NetConfList, a: Attachment): CniResult {
    let prev: CniResult | undefined;
    for (const p of net.plugins) {
      try {
        prev = this.invoke(p.type, 'add', this.pluginConf(net, p, a, prev), a) ?? prev;
      } catch (e) {
        throw this.wrap(p, 'add', e);
      }
    }
    return prev ?? { cniVersion: net.cniVersion };
  }

  /** DEL: the plugins in reverse order (given the cached result, as libcni does); releasing what is already gone is no error. */
  del(net: NetConfList, a: Attachment, cached?: CniResult): void {
    for (const p of [...net.plugins].reverse()) {
      try {
        this.invoke(p.type, 'del', this.pluginConf(net, p, a, cached), a);
      } catch (e) {
        throw this.wrap(p, 'delete', e);
      }
    }
  }

  /** CHECK (spec 0.4.0 and later): every plugin in order, given the cached result of ADD. */
  check(net: NetConfList, a: Attachment, cached: CniResult): void {
    const [maj = 0, min = 0] = net.cniVersion.split('.').map(Number);
    if (maj === 0 && min < 4)
      throw new CniError(CNI_ERR.INCOMPATIBLE_VERSION, `configuration version "${net.cniVersion}" does not support the CHECK command`);
    for (const p of net.plugins) {
      try {
        this.invoke(p.type, 'check', this.pluginConf(net, p, a, cached), a);
      } catch (e) {
        throw this.wrap(p, 'check', e);
      }
    }
  }

  /** Runs plugin `type` from /opt/cni/bin: the list's plugins and the ones they delegate to. */
  private invoke(type: string, op: CniOp, conf: PluginConf, a: CniArgs): CniResult | undefined {
    this.binary(type);
    const ctx = this.ctx;
    const net = String(conf.name ?? '');
    switch (`${type}/${op}`) {
      case 'ptp/add':
        this.ipamBinary(conf);
        return ptpAdd(this.host, this.ipam, conf, this.ptpArgs(a, conf), randomVethName(this.rng));
      case 'ptp/del':
        ptpDel(this.host, this.ipam, conf, this.ptpArgs(a, conf));
        return undefined;
      case 'bridge/add':
        return bridgeAdd(ctx, conf, a);
      case 'bridge/del':
        bridgeDel(ctx, conf, a);
        return undefined;
      case 'bridge/check':
        bridgeCheck(ctx, conf, a);
        return undefined;
      case 'flannel/add':
        return flannelAdd(ctx, conf, a);
      case 'flannel/del':
        flannelDel(ctx, conf, a);
        return undefined;
      case 'host-local/add': {
        const { ips, routes } = this.ipam.allocate(conf.ipam as HostLocalConf, net, a.containerId, a.ifName);
        return { cniVersion: String(conf.cniVersion ?? ''), ips, routes, dns: {} };
      }
      case 'host-local/del':
        this.ipam.release(conf.ipam as HostLocalConf, net, a.containerId, a.ifName);
        return undefined;
      case 'loopback/add': {
        this.host.at(a.netns).linkSet('lo', { up: true });
        const prev = conf.prevResult as CniResult | undefined;
        return (
          prev ?? {
            cniVersion: String(conf.cniVersion ?? ''),
            interfaces: [{ name: 'lo', mac: '00:00:00:00:00:00', sandbox: `/var/run/netns/${a.netns}` }],
            ips: [{ address: '127.0.0.1/8', interface: 0 }],
            dns: {},
          }
        );
      }
      case 'portmap/add':
        return portmapAdd(ctx, conf, a);
      case 'portmap/del':
        portmapDel(ctx, conf, a);
        return undefined;
      case 'portmap/check':
        portmapCheck(ctx, conf, a);
        return undefined;
      default:
        // loopback's DEL, flannel's CHECK (a no-op upstream too); ptp's and host-local's CHECK are not emulated and pass
        return undefined;
    }
  }

  /** ptp's arguments: the attachment with the network's name and version. */
  private ptpArgs(a: CniArgs, conf: PluginConf): PtpArgs {
    return Object.assign({}, a, { network: String(conf.name ?? ''), cniVersion: String(conf.cniVersion ?? '') });
  }

  /** ptp runs its IPAM plugin first (ipam.ExecAdd): it must be there too. */
  private ipamBinary(conf: PluginConf): void {
    if (conf.ipam?.type) this.binary(conf.ipam.type);
  }
}
