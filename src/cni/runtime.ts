// The CNI runtime as libcni (containernetworking/cni) runs it for containerd: the lexically first
// network configuration in /etc/cni/net.d, each plugin of the list looked up in /opt/cni/bin, run
// in order for ADD (each given the previous result) and in reverse for DEL, any failure (a missing
// binary too) wrapped as `plugin type="ptp" failed (add): …` (libcni/api.go AddNetworkList). Plugins are ours (ptp, host-local, loopback, portmap) and
// configure the node only through host/; a binary file's presence is what makes one callable.
import type { HostNetwork } from '../host/index.js';
import type { NodeFiles, Rng } from '../sim/index.js';
import { HostLocal } from './host-local.js';
import { ptpAdd, ptpDel } from './ptp.js';
import { CNI_ERR, CniError, type CniResult, type NetConfList, type PluginConf } from './types.js';

export const CNI_CONF_DIR = '/etc/cni/net.d';
export const CNI_BIN_DIR = '/opt/cni/bin';
const KNOWN = new Set(['ptp', 'host-local', 'loopback', 'portmap']);

/** The attachment libcni's RuntimeConf describes. */
export interface Attachment {
  readonly containerId: string;
  readonly netns: string;
  readonly ifName: string;
  /** `portMappings` and friends (capabilities the plugins asked for). */
  readonly runtimeConfig?: Readonly<Record<string, unknown>>;
}

export class CniRuntime {
  private readonly ipam: HostLocal;

  constructor(
    private readonly host: HostNetwork,
    private readonly files: NodeFiles,
    private readonly rng: Rng,
  ) {
    this.ipam = new HostLocal(files);
  }

  /** The network the runtime uses: the lexically first *.conf, *.conflist or *.json; undefined while there is none (NetworkReady=false). */
  config(): NetConfList | undefined {
    const names = (this.files.list(CNI_CONF_DIR) ?? []).filter((n) => /\.(conflist|conf|json)$/.test(n));
    for (const name of names) {
      const file = `${CNI_CONF_DIR}/${name}`;
      let raw: unknown;
      try {
        raw = JSON.parse(this.files.readText(file) ?? '');
      } catch {
        continue; // libcni skips what it cannot parse
      }
      if (typeof raw !== 'object' || raw === null) continue;
      const o = raw as Record<string, unknown>;
      if (name.endsWith('.conflist')) {
        if (typeof o.name !== 'string' || !Array.isArray(o.plugins) || o.plugins.length === 0) continue;
        return { cniVersion: String(o.cniVersion ?? '0.3.1'), name: o.name, plugins: o.plugins as PluginConf[], file };
      }
      if (typeof o.type !== 'string' || typeof o.name !== 'string') continue;
      return { cniVersion: String(o.cniVersion ?? '0.3.1'), name: o.name, plugins: [o as PluginConf], file };
    }
    return undefined;
  }

  private binary(type: string): void {
    if (!this.files.stat(`${CNI_BIN_DIR}/${type}`) || this.files.stat(`${CNI_BIN_DIR}/${type}`)!.type !== 'file') {
      throw new CniError(CNI_ERR.INTERNAL, `failed to find plugin "${type}" in path [${CNI_BIN_DIR}]`);
    }
  }

  private wrap(p: PluginConf, op: 'add' | 'delete' | 'check', e: unknown): Error {
    const name = typeof p.name === 'string' ? ` name="${p.name}"` : '';
    const text = e instanceof Error ? e.message : String(e);
    // libcni's AddNetworkList wraps every plugin's failure, a missing binary (FindInPath) included
    return new CniError(e instanceof CniError ? e.code : CNI_ERR.INTERNAL, `plugin type="${p.type}"${name} failed (${op}): ${text}`);
  }

  /** ADD: every plugin of the list in order, each given the previous result; returns the last result. */
  add(net: NetConfList, a: Attachment): CniResult {
    let prev: CniResult | undefined;
    for (const p of net.plugins) {
      try {
        this.binary(p.type);
        if (p.ipam?.type) this.binary(p.ipam.type); // the plugin's own IPAM lookup
        prev = this.addOne(net, p, a, prev);
      } catch (e) {
        throw this.wrap(p, 'add', e);
      }
    }
    return prev ?? { cniVersion: net.cniVersion };
  }

  /** DEL: the plugins in reverse order; releasing what is already gone is no error. */
  del(net: NetConfList, a: Attachment): void {
    for (const p of [...net.plugins].reverse()) {
      try {
        this.binary(p.type);
        if (p.type === 'ptp') ptpDel(this.host, this.ipam, p, { ...a, network: net.name, cniVersion: net.cniVersion });
        else if (p.type === 'host-local') this.ipam.release(p as never, net.name, a.containerId, a.ifName);
      } catch (e) {
        throw this.wrap(p, 'delete', e);
      }
    }
  }

  private addOne(net: NetConfList, p: PluginConf, a: Attachment, prev: CniResult | undefined): CniResult {
    if (!KNOWN.has(p.type)) throw new CniError(CNI_ERR.INTERNAL, `plugin "${p.type}" is not emulated by knetlab`);
    switch (p.type) {
      case 'ptp': {
        const veth = `veth${[...this.rng.bytes(4)].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
        return ptpAdd(this.host, this.ipam, p, { ...a, network: net.name, cniVersion: net.cniVersion }, veth);
      }
      case 'loopback':
        this.host.at(a.netns).linkSet('lo', { up: true });
        return prev ?? { cniVersion: net.cniVersion, interfaces: [{ name: 'lo', mac: '00:00:00:00:00:00', sandbox: `/var/run/netns/${a.netns}` }], ips: [{ address: '127.0.0.1/8', interface: 0 }], dns: {} };
      case 'portmap': {
        const mappings = a.runtimeConfig?.portMappings;
        if (Array.isArray(mappings) && mappings.length > 0) throw new CniError(CNI_ERR.UNSUPPORTED_FIELD, 'hostPort mappings (CNI-HOSTPORT chains) are not emulated yet in knetlab');
        if (!prev) throw new CniError(CNI_ERR.INVALID_CONFIG, 'must be called as chained plugin');
        return prev;
      }
      default:
        throw new CniError(CNI_ERR.INVALID_CONFIG, `IPAM plugin "${p.type}" cannot be the main plugin`);
    }
  }
}
