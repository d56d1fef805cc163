// The pod parts kubectl's describers share (pkg/describe/describe.go): printTolerationsMultiline,
// printTaintsMultiline, DescribeProbe, describeContainers with each container's state, describeVolumes.
import { Out, rfc1123z } from './describe-out.js';
import type { Obj } from './tables.js';

export function tolerationsMultiline(o: Out, title: string, tolerations: Obj[] | undefined): void {
  o.w(0, `${title}:\t`);
  const ts = [...(tolerations ?? [])].sort((a, b) => String(a.key ?? '').localeCompare(String(b.key ?? '')));
  if (ts.length === 0) return o.w(0, '<none>\n');
  ts.forEach((t, i) => {
    let s = i ? '\t' : '';
    s += t.key ?? '';
    if (t.value) s += `=${t.value}`;
    if (t.effect) s += `:${t.effect}`;
    if (t.operator === 'Exists' && !t.value) s += t.key || t.effect ? ' op=Exists' : 'op=Exists';
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null) s += ` for ${t.tolerationSeconds}s`;
    o.w(0, `${s}\n`);
  });
}

export function taintsMultiline(o: Out, taints: Obj[] | undefined): void {
  o.w(0, 'Taints:\t');
  const ts = [...(taints ?? [])].sort((a, b) => `${a.effect},${a.key}`.localeCompare(`${b.effect},${b.key}`));
  if (ts.length === 0) return o.w(0, '<none>\n');
  // Taint.ToString: key[=value]:effect
  ts.forEach((t, i) => o.w(0, `${i ? '\t' : ''}${t.key}${t.value ? `=${t.value}` : ''}${t.effect ? `:${t.effect}` : ''}\n`));
}

/** kubectl's DescribeProbe: the handler (url.URL's text for an httpGet) and the timing attributes. */
export function describeProbe(p: Obj): string {
  const attrs = `delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 0}s period=${p.periodSeconds ?? 0}s #success=${p.successThreshold ?? 0} #failure=${p.failureThreshold ?? 0}`;
  if (p.exec) return `exec [${((p.exec.command ?? []) as unknown[]).join(' ')}] ${attrs}`;
  if (p.httpGet) {
    const h = p.httpGet as Obj;
    const port = h.port === undefined ? '' : String(h.port);
    const host = String(h.host ?? '');
    const hostPort = port ? `${host.includes(':') ? `[${host}]` : host}:${port}` : host;
    return `http-get ${String(h.scheme ?? '').toLowerCase()}://${hostPort}${String(h.path ?? '')} ${attrs}`;
  }
  if (p.tcpSocket) return `tcp-socket ${String(p.tcpSocket.host ?? '')}:${String(p.tcpSocket.port ?? '')} ${attrs}`;
  if (p.grpc) return `grpc <pod>:${p.grpc.port} ${String(p.grpc.service ?? '')} ${attrs}`;
  return `unknown ${attrs}`;
}

export function describeContainers(o: Out, label: string, containers: Obj[], statuses: Obj[] | undefined, space: string): void {
  o.w(0, `${space}${label}:${containers.length === 0 ? ' <none>' : ''}\n`);
  const byName = new Map((statuses ?? []).map((s) => [s.name, s]));
  for (const c of containers) {
    const st = statuses ? byName.get(c.name) : undefined;
    o.w(1, `${space ? ' ' : ''}${c.name}:\n`);
    if (st) o.w(2, `Container ID:\t${st.containerID ?? ''}\n`);
    o.w(2, `Image:\t${c.image ?? ''}\n`);
    if (st) o.w(2, `Image ID:\t${st.imageID ?? ''}\n`);
    // describeContainerPorts / describeContainerHostPorts (kubectl v1.34+): a named port's name follows it
    const portList = (port: (p: Obj) => unknown) =>
      (c.ports ?? []).map((p: Obj) => `${port(p)}/${p.protocol ?? 'TCP'}${p.name ? ` (${p.name})` : ''}`).join(', ');
    const ports = portList((p) => p.containerPort);
    o.w(2, ports.includes(',') ? `Ports:\t${ports}\n` : `Port:\t${ports || '<none>'}\n`);
    const hostPorts = portList((p) => p.hostPort ?? 0);
    o.w(2, hostPorts.includes(',') ? `Host Ports:\t${hostPorts}\n` : `Host Port:\t${hostPorts || '<none>'}\n`);
    if (c.command?.length) {
      o.w(2, 'Command:\n');
      for (const x of c.command) for (const s of String(x).split('\n')) o.w(3, `${s}\n`);
    }
    if (c.args?.length) {
      o.w(2, 'Args:\n');
      for (const x of c.args) for (const s of String(x).split('\n')) o.w(3, `${s}\n`);
    }
    if (st) {
      containerState(o, 'State', st.state ?? {});
      if (st.lastState?.terminated) containerState(o, 'Last State', st.lastState);
      o.w(2, `Ready:\t${st.ready ? 'True' : 'False'}\n`);
      o.w(2, `Restart Count:\t${st.restartCount ?? 0}\n`);
    }
    for (const kind of ['limits', 'requests'] as const) {
      const r = c.resources?.[kind] ?? {};
      if (Object.keys(r).length) o.w(2, `${kind === 'limits' ? 'Limits' : 'Requests'}:\n`);
      for (const k of Object.keys(r).sort()) o.w(3, `${k}:\t${r[k]}\n`);
    }
    // describeContainerProbe
    for (const [label, probe] of [
      ['Liveness', c.livenessProbe],
      ['Readiness', c.readinessProbe],
      ['Startup', c.startupProbe],
    ] as const) {
      if (probe) o.w(2, `${label}:\t${describeProbe(probe as Obj)}\n`);
    }
    const env: Obj[] = c.env ?? [];
    o.w(2, `Environment:${env.length === 0 ? '\t<none>' : ''}\n`);
    for (const e of env) {
      if (e.valueFrom?.fieldRef) o.w(3, `${e.name}:\t (${e.valueFrom.fieldRef.apiVersion ?? 'v1'}:${e.valueFrom.fieldRef.fieldPath})\n`);
      else if (e.valueFrom?.secretKeyRef)
        o.w(
          3,
          `${e.name}:\t<set to the key '${e.valueFrom.secretKeyRef.key}' in secret '${e.valueFrom.secretKeyRef.name}'>\tOptional: ${Boolean(e.valueFrom.secretKeyRef.optional)}\n`,
        );
      else if (e.valueFrom?.configMapKeyRef)
        o.w(
          3,
          `${e.name}:\t<set to the key '${e.valueFrom.configMapKeyRef.key}' of config map '${e.valueFrom.configMapKeyRef.name}'>\tOptional: ${Boolean(e.valueFrom.configMapKeyRef.optional)}\n`,
        );
      else
        String(e.value ?? '')
          .split('\n')
          .forEach((s, i) => o.w(3, i === 0 ? `${e.name}:\t${s}\n` : `\t${s}\n`));
    }
    const mounts: Obj[] = [...(c.volumeMounts ?? [])].sort((a, b) => String(a.mountPath).localeCompare(String(b.mountPath)));
    o.w(2, `Mounts:${mounts.length === 0 ? '\t<none>' : ''}\n`);
    for (const m of mounts)
      o.w(3, `${m.mountPath} from ${m.name} (${[m.readOnly ? 'ro' : 'rw', ...(m.subPath ? [`path="${m.subPath}"`] : [])].join(',')})\n`);
  }
}

export function containerState(o: Out, name: string, state: Obj): void {
  if (state.running) {
    o.w(2, `${name}:\tRunning\n`);
    o.w(3, `Started:\t${rfc1123z(state.running.startedAt)}\n`);
  } else if (state.waiting) {
    o.w(2, `${name}:\tWaiting\n`);
    if (state.waiting.reason) o.w(3, `Reason:\t${state.waiting.reason}\n`);
  } else if (state.terminated) {
    const t = state.terminated;
    o.w(2, `${name}:\tTerminated\n`);
    if (t.reason) o.w(3, `Reason:\t${t.reason}\n`);
    if (t.message) o.w(3, `Message:\t${t.message}\n`);
    o.w(3, `Exit Code:\t${t.exitCode ?? 0}\n`);
    if (t.signal > 0) o.w(3, `Signal:\t${t.signal}\n`);
    o.w(3, `Started:\t${rfc1123z(t.startedAt)}\n`);
    o.w(3, `Finished:\t${rfc1123z(t.finishedAt)}\n`);
  } else o.w(2, `${name}:\tWaiting\n`);
}

export function describeVolumes(o: Out, volumes: Obj[] | undefined, space: string): void {
  if (!volumes?.length) return o.w(0, `${space}Volumes:\t<none>\n`);
  o.w(0, `${space}Volumes:\n`);
  for (const v of volumes) {
    o.w(1, `${space ? ' ' : ''}${v.name}:\n`);
    if (v.hostPath)
      o.w(
        2,
        `Type:\tHostPath (bare host directory volume)\n    Path:\t${v.hostPath.path}\n    HostPathType:\t${v.hostPath.type ?? '<none>'}\n`,
      );
    else if (v.emptyDir)
      o.w(
        2,
        `Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t${v.emptyDir.medium ?? ''}\n    SizeLimit:\t${v.emptyDir.sizeLimit ?? '<unset>'}\n`,
      );
    else if (v.secret)
      o.w(
        2,
        `Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t${v.secret.secretName}\n    Optional:\t${Boolean(v.secret.optional)}\n`,
      );
    else if (v.configMap)
      o.w(
        2,
        `Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t${v.configMap.name}\n    Optional:\t${Boolean(v.configMap.optional)}\n`,
      );
    else if (v.projected) {
      o.w(2, 'Type:\tProjected (a volume that contains injected data from multiple sources)\n');
      for (const s of v.projected.sources ?? []) {
        if (s.secret) o.w(2, `SecretName:\t${s.secret.name}\n    Optional:\t${Boolean(s.secret.optional)}\n`);
        else if (s.downwardAPI) o.w(2, 'DownwardAPI:\ttrue\n');
        else if (s.configMap) o.w(2, `ConfigMapName:\t${s.configMap.name}\n    Optional:\t${Boolean(s.configMap.optional)}\n`);
        else if (s.serviceAccountToken) o.w(2, `TokenExpirationSeconds:\t${s.serviceAccountToken.expirationSeconds}\n`);
      }
    } else if (v.persistentVolumeClaim)
      o.w(
        2,
        `Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t${v.persistentVolumeClaim.claimName}\n    ReadOnly:\t${Boolean(v.persistentVolumeClaim.readOnly)}\n`,
      );
    else o.w(1, '<unknown>\n');
  }
}
