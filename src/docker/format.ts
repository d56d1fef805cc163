// docker's texts for containers: `docker ps` rows (docker/cli cli/command/formatter/container.go,
// displayutils.go), the daemon's status line (moby daemon/container/state.go State.String),
// go-units HumanDuration (docker/cli vendor/github.com/docker/go-units/duration.go), and
// `docker port` lines (docker/cli cli/command/container/port.go).
import { EPOCH_MS, type Container, type PortBinding } from './engine.js';

/** go-units HumanDuration. */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.trunc(ms / 60_000);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.trunc(ms / 3_600_000 + 0.5);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.trunc(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.trunc(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24 / 30)} months`;
  return `${Math.trunc(Math.trunc(ms / 3_600_000) / 24 / 365)} years`;
}

/** The daemon's one-line state (`Up 3 minutes`, `Up 5 seconds (Paused)`, `Exited (137) 2 seconds ago`). */
export function statusText(c: Container, now: number): string {
  if (c.status === 'running' || c.status === 'paused')
    return `Up ${humanDuration(now - c.startedAt)}${c.status === 'paused' ? ' (Paused)' : ''}`;
  if (c.status === 'created' || c.finishedAt === undefined) return 'Created';
  return `Exited (${c.exitCode}) ${humanDuration(now - c.finishedAt)} ago`;
}

/** The command as `docker ps` shows it: entrypoint and args joined, cut to 20 with '…', Go-quoted. */
export function commandText(c: Container, trunc: boolean): string {
  const command = [...c.entrypoint, ...c.cmd].join(' ');
  return JSON.stringify(trunc ? ellipsis(command, 20) : command);
}

/** The image as `docker ps` shows it: without a digest (reference.FamiliarString of name:tag). */
export function imageText(c: Container): string {
  const at = c.image.indexOf('@');
  return at < 0 ? c.image : c.image.slice(0, at);
}

/** Go's net.JoinHostPort. */
function joinHostPort(host: string, port: string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** DisplayablePorts: equal host and container ports grouped into ranges per (IP, proto); remapped ones after. */
export function portsText(ports: readonly PortBinding[]): string {
  const sorted = [...ports].sort(
    (a, b) =>
      a.containerPort - b.containerPort ||
      (a.hostIp < b.hostIp ? -1 : a.hostIp > b.hostIp ? 1 : 0) ||
      a.hostPort - b.hostPort ||
      (a.proto < b.proto ? -1 : 1),
  );
  const groups = new Map<string, { first: number; last: number }>();
  const result: string[] = [];
  const remapped: string[] = [];
  const form = (key: string, first: number, last: number) => {
    const [ip, proto] = key.split('/') as [string, string];
    const range = first === last ? String(first) : `${first}-${last}`;
    return `${joinHostPort(ip, range)}->${range}/${proto}`;
  };
  for (const p of sorted) {
    if (p.hostPort !== p.containerPort) {
      remapped.push(`${joinHostPort(p.hostIp, String(p.hostPort))}->${p.containerPort}/${p.proto}`);
      continue;
    }
    const key = `${p.hostIp}/${p.proto}`;
    const g = groups.get(key);
    if (!g) groups.set(key, { first: p.containerPort, last: p.containerPort });
    else if (p.containerPort === g.last + 1) g.last = p.containerPort;
    else {
      result.push(form(key, g.first, g.last));
      groups.set(key, { first: p.containerPort, last: p.containerPort });
    }
  }
  for (const [key, g] of groups) result.push(form(key, g.first, g.last));
  return [...result, ...remapped].join(', ');
}

/** RFC 3339 with nanoseconds, as Go prints a time.Time in JSON (the daemon's Created, StartedAt). */
export function rfc3339Nano(virtualMs: number): string {
  const iso = new Date(EPOCH_MS + virtualMs).toISOString(); // …T00:00:00.000Z
  const ms = iso.slice(20, 23);
  const frac = ms === '000' ? '' : `.${ms.replace(/0+$/, '')}`;
  return `${iso.slice(0, 19)}${frac}Z`;
}

/** Go's zero time.Time, as the daemon shows an unset FinishedAt. */
export const ZERO_TIME = '0001-01-01T00:00:00Z';

/** What a `docker ps` row's fields are, for the table and for --format templates (ContainerContext). */
export function psFields(c: Container, now: number, trunc: boolean): Record<string, string> {
  return {
    ID: trunc ? c.id.slice(0, 12) : c.id,
    Names: c.name,
    Image: imageText(c),
    Command: commandText(c, trunc),
    CreatedAt: createdAtText(c.created),
    RunningFor: `${humanDuration(now - c.created)} ago`,
    // An exited container has no published ports (the daemon lists NetworkSettings.Ports).
    Ports: c.status === 'running' || c.status === 'paused' ? portsText(c.ports) : '',
    State: c.status,
    Status: statusText(c, now),
    Size: '0B',
    Labels: Object.keys(c.labels)
      .map((k) => `${k}=${c.labels[k]}`)
      .join(','),
    Mounts: c.mounts.map((m) => (trunc ? ellipsis(m.name || m.source, 15) : m.name || m.source)).join(','),
    Networks: c.network,
    LocalVolumes: String(c.mounts.filter((m) => m.type === 'volume').length),
  };
}

/** docker/cli's Ellipsis for ASCII text: cut to `max` characters, the last one '…'. */
function ellipsis(s: string, max: number): string {
  const chars = [...s];
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join('')}…`;
}

/** Go's time.Time.String() of a Unix time in UTC: `2026-01-01 00:00:05 +0000 UTC`. */
function createdAtText(virtualMs: number): string {
  const iso = new Date(EPOCH_MS + Math.floor(virtualMs / 1000) * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} +0000 UTC`;
}

/** `docker port NAME` lines: `6443/tcp -> 127.0.0.1:40123`, sorted as the CLI sorts them. */
export function portLines(c: Container): string[] {
  return c.ports
    .map((p) => `${p.containerPort}/${p.proto} -> ${joinHostPort(p.hostIp, String(p.hostPort))}`)
    .sort((a, b) => {
      const pa = Number(a.split('/')[0]);
      const pb = Number(b.split('/')[0]);
      return pa - pb || (a < b ? -1 : a > b ? 1 : 0);
    });
}
