// `knetlab kube-proxy render`: prints the iptables-restore payload kube-proxy's first full sync
// writes on an empty host for the Services and EndpointSlices of a file. Stateless.
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { proxyConfig, ProxyInputError, renderFirstSync, type NodeFacts } from '../proxy/index.js';

export const KUBE_PROXY_USAGE = `  kube-proxy render -f OBJECTS.yaml [--config KUBEPROXYCONFIG.yaml] --hostname NAME --node-ip IP
                    [--addr IFACE=CIDR ...] [--no-random-fully] [--nfacct]
        print the iptables-restore payload kube-proxy (iptables mode, v1.32) writes on its first
        full sync on an empty node for the Services and EndpointSlices in OBJECTS.yaml (taken as
        stored: no defaulting, no allocation; other kinds are ignored; - reads stdin).
        --config: a kubeproxy.config.k8s.io/v1alpha1 KubeProxyConfiguration (upstream defaults
        when absent); --addr: the node's interface addresses (default lo=127.0.0.1/8 and
        eth0=<node-ip>/24); --no-random-fully: the host's MASQUERADE lacks --random-fully;
        --nfacct: the host has kube-proxy's nfacct counters
`;

interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  readStdin(): string;
}

const IFNAME = /^[^\s/:]{1,15}$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function kubeProxy(args: string[], io: Io): number {
  const fail = (message: string): number => {
    io.stderr(`knetlab kube-proxy render: ${message}\n`);
    return 2;
  };
  if (args[0] !== 'render') return fail(`unknown subcommand ${JSON.stringify(args[0] ?? '')}; usage:\n${KUBE_PROXY_USAGE}`);
  const files: string[] = [];
  const addrs: { iface: string; cidr: string }[] = [];
  let configFile: string | undefined;
  let hostname: string | undefined;
  let nodeIP: string | undefined;
  let randomFully = true;
  let nfacct = false;
  for (let i = 1; i < args.length; i++) {
    const a = args[i]!;
    const value = (): string | undefined => args[++i];
    if (a === '-f' || a === '--filename') {
      const v = value();
      if (v === undefined) return fail(`${a} needs a FILE`);
      files.push(v);
    } else if (a === '--config') {
      configFile = value();
      if (configFile === undefined) return fail('--config needs a FILE');
    } else if (a === '--hostname') {
      hostname = value();
      if (hostname === undefined || !DNS1123_SUBDOMAIN.test(hostname) || hostname.length > 253)
        return fail(`--hostname: invalid node name ${JSON.stringify(hostname ?? '')}: must be a lowercase RFC 1123 subdomain`);
    } else if (a === '--node-ip') {
      nodeIP = value();
      if (nodeIP === undefined || !IPV4.test(nodeIP)) return fail(`--node-ip: invalid IPv4 address ${JSON.stringify(nodeIP ?? '')}`);
    } else if (a === '--addr') {
      const v = value() ?? '';
      const m = /^([^=]+)=(.+)$/.exec(v);
      const ip = m ? m[2]!.split('/') : [];
      if (!m || !IFNAME.test(m[1]!) || ip.length !== 2 || !IPV4.test(ip[0]!) || !/^(3[0-2]|[12]?\d)$/.test(ip[1]!)) {
        return fail(`--addr: invalid value ${JSON.stringify(v)}: want IFACE=A.B.C.D/LEN (an interface name of at most 15 characters)`);
      }
      addrs.push({ iface: m[1]!, cidr: m[2]! });
    } else if (a === '--no-random-fully') randomFully = false;
    else if (a === '--nfacct') nfacct = true;
    else return fail(`unknown option ${JSON.stringify(a)}; usage:\n${KUBE_PROXY_USAGE}`);
  }
  if (files.length === 0) return fail('give the objects with -f FILE');
  if (hostname === undefined) return fail('give the node name with --hostname NAME');
  if (nodeIP === undefined) return fail('give the node IP with --node-ip IP');
  const read = (f: string): string | number => {
    try {
      return f === '-' ? io.readStdin() : readFileSync(f, 'utf8');
    } catch (e) {
      return fail(
        `cannot read ${JSON.stringify(f)}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : (e as Error).message}`,
      );
    }
  };
  const docs = (f: string, text: string): unknown[] | string => {
    const out: unknown[] = [];
    for (const d of parseAllDocuments(text)) {
      if (d.errors.length) return `${f}: ${d.errors[0]!.message}`;
      out.push(d.toJS());
    }
    return out;
  };
  try {
    let config = proxyConfig(undefined);
    if (configFile !== undefined) {
      const text = read(configFile);
      if (typeof text === 'number') return text;
      const parsed = docs(configFile, text);
      if (typeof parsed === 'string') return fail(parsed);
      config = proxyConfig(parsed.find((d) => d !== null && d !== undefined));
    }
    const objects: unknown[] = [];
    for (const f of files) {
      const text = read(f);
      if (typeof text === 'number') return text;
      const parsed = docs(f, text);
      if (typeof parsed === 'string') return fail(parsed);
      objects.push(...parsed);
    }
    const node: NodeFacts = {
      hostname,
      nodeIP,
      addresses: addrs.length
        ? addrs
        : [
            { iface: 'lo', cidr: '127.0.0.1/8' },
            { iface: 'eth0', cidr: `${nodeIP}/24` },
          ],
    };
    io.stdout(renderFirstSync({ objects, config, node, caps: { randomFully, nfacct } }).payload);
    return 0;
  } catch (e) {
    if (e instanceof ProxyInputError) return fail(e.message);
    throw e;
  }
}
