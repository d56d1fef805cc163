// nicolaka/netshoot v0.16 (Alpine 3.24; CMD zsh): a toolbox that runs nothing of its own; pods
// keep it up with `sleep infinity`, `tail -f /dev/null` or a shell loop, which idle here. Its
// package set (kind-kubernetes-facts §6) brings iproute2, iputils, curl, bind-tools, tcpdump, ...
import { BUSYBOX_APPLETS, type WorkloadImage } from './image.js';

export const NETSHOOT_TOOLS: readonly string[] = [
  'bash',
  'zsh',
  'ip',
  'bridge',
  'ping',
  'curl',
  'tcpdump',
  'iptables',
  'iptables-save',
  'iptables-restore',
  'ipset',
  'ipvsadm',
  'conntrack',
  'jq',
  'sysctl',
  'python3',
  'arping',
  'dig',
  'nslookup',
  'host',
  'ss',
  'netstat',
  'nc',
  'socat',
  'iperf3',
  'ethtool',
  'nft',
  'tshark',
  'termshark',
  'mtr',
  'traceroute',
  'nmap',
  'ps',
];

export const netshootImage: WorkloadImage = {
  name: 'nicolaka/netshoot',
  entrypoint: [],
  cmd: ['zsh'],
  commands: [...new Set([...BUSYBOX_APPLETS, ...NETSHOOT_TOOLS])],
  // its packages replace BusyBox's applets of the same name (iproute2's ip, iputils' ping, curl, ...)
  busybox: BUSYBOX_APPLETS.filter((c) => !NETSHOOT_TOOLS.includes(c)),
  shell: 'bash',
  libc: 'musl',
  // `iperf3 -s` as the container's command serves (its report lines are the container's log); anything else idles
  program: (argv) => (/^(\/usr\/bin\/)?iperf3$/.test(argv[0] ?? '') ? ['iperf3', ...argv.slice(1)] : undefined),
};
