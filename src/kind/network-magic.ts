// kind's entrypoint `enable_network_magic` (images/base/files/usr/local/bin/entrypoint), run in
// each node container before systemd: Docker's embedded DNS sits on 127.0.0.11, which pods cannot
// reach, so the node's docker DNS rules are rewritten to catch the Docker host's address instead
// (also in PREROUTING, for pods' traffic), and resolv.conf is pointed there, the original kept.
import { DOCKER_DNS_IP } from '../addons/index.js';
import type { NodeFiles } from '../sim/index.js';

/**
 * The entrypoint's sed over `iptables-save`, line by line: the DNAT/jump rules' `-d 127.0.0.11`
 * becomes the host IP, each OUTPUT jump to DOCKER_OUTPUT gets a PREROUTING twin, the SNAT rules'
 * `--to-source :53` gains the host IP, and a DNAT rule saved without `--dport` (iptables-nft
 * 1.8.7/1.8.8, kind#3054) gets `--dport 53` back.
 */
export function rewriteDockerDnsRules(save: string, hostIp: string): string {
  const out: string[] = [];
  for (const line of save.split('\n')) {
    const l = line
      .replaceAll(`-d ${DOCKER_DNS_IP}`, `-d ${hostIp}`)
      .replaceAll('--to-source :53', `--to-source ${hostIp}:53`)
      .replaceAll(`p -j DNAT --to-destination ${DOCKER_DNS_IP}`, `p --dport 53 -j DNAT --to-destination ${DOCKER_DNS_IP}`);
    out.push(l);
    const jump = /^-A OUTPUT (.*) -j DOCKER_OUTPUT$/.exec(l);
    if (jump) out.push(`-A PREROUTING ${jump[1]} -j DOCKER_OUTPUT`);
  }
  return out.join('\n');
}

/**
 * The network magic's iptables step: what the entrypoint restores after reading the nat table back
 * (for startEmbeddedDns, which gives it the saved text). The docker host's address is the default
 * gateway here (`host.docker.internal` does not resolve on Linux's Docker).
 */
export function networkMagicRestore(hostIp: string): (saved: string) => string {
  return (saved) => rewriteDockerDnsRules(saved, hostIp);
}

/** The network magic's resolv.conf step: pointed at the docker host, the original kept. */
export function enableNetworkMagic(files: NodeFiles, hostIp: string, dnsSearch?: readonly string[]): void {
  const original = files.readText('/etc/resolv.conf') ?? '';
  files.write('/etc/resolv.conf.original', original, { mode: 0o644 });
  // echo "$replaced": the command substitution drops trailing newlines, echo adds one
  let lines = original.replaceAll(DOCKER_DNS_IP, hostIp).replace(/\n+$/, '').split('\n');
  // KIND_DNS_SEARCH (networking.dnsSearch): set replaces the search lines, empty removes them
  if (dnsSearch)
    lines = [...(dnsSearch.length > 0 ? [`search ${dnsSearch.join(' ')}`] : []), ...lines.filter((l) => !l.startsWith('search'))];
  files.write('/etc/resolv.conf', `${lines.join('\n')}\n`, { mode: 0o644 });
}
