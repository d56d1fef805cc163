#!/usr/bin/env node
// Records the goldens of `kubectl explain` (test/golden/explain/*.txt) with the real kubectl on this
// machine: a small HTTP server plays an API server whose discovery serves the lab's built-in kinds
// and whose OpenAPI v3 documents are the ones knetlab's explain reads (src/kubectl/explain/document.ts,
// from schemas.json, in the shape the real API server serves). kubectl then renders them
// with its own template, so the goldens pin knetlab's rendering (wrapping, enums, required, order,
// paths, errors) to kubectl's. Each golden is the command line, stdout, `--- stderr` and its lines,
// `--- exit N`. Usage: npx tsc -p . && node scripts/record-explain.mjs [--kubectl PATH]
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { BUILTIN } from '../dist/src/api/resources.js';
import { componentName, components } from '../dist/src/kubectl/explain/document.js';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const data = JSON.parse(fs.readFileSync(path.join(root, 'src/kubectl/explain/schemas.json'), 'utf8'));
const kubectl = process.argv.includes('--kubectl') ? process.argv[process.argv.indexOf('--kubectl') + 1] : 'kubectl';
const OUT = path.join(root, 'test/golden/explain');

/** The queries recorded: file name → kubectl explain arguments. */
const QUERIES = {
  pod: ['pod'],
  'pods.spec': ['pods.spec'],
  'po.spec.restartPolicy': ['po.spec.restartPolicy'],
  'pod.spec.containers.ports': ['pod.spec.containers.ports'],
  'pod.spec.containers.resources.limits': ['pod.spec.containers.resources.limits'],
  'pod.metadata.creationTimestamp': ['pod.metadata.creationTimestamp'],
  'deploy.spec.strategy.rollingUpdate': ['deploy.spec.strategy.rollingUpdate'],
  'svc--recursive': ['svc', '--recursive'],
  'service.spec.ports.targetPort': ['service.spec.ports.targetPort'],
  'node.status.conditions': ['node.status.conditions'],
  endpointslices: ['endpointslices'],
  'pod.spec.nope': ['pod.spec.nope'],
  widgets: ['widgets'],
  'pod.spec.containers.name.x': ['pod.spec.containers.name.x'],
  'deployments.apps.spec.replicas': ['deployments.apps.spec.replicas'],
  'pod.spec.dnsConfig--recursive': ['pod.spec.dnsConfig', '--recursive'],
  'pod--api-version=apps-v1': ['pod', '--api-version=apps/v1'],
  'deploy--api-version=apps-v1': ['deploy', '--api-version=apps/v1'],
  'pod-o-json': ['pod', '-o', 'json'],
  'no-args': [],
  'pod-svc': ['pod', 'svc'],
  'ingress.spec.rules.http.paths.pathType': ['ingress.spec.rules.http.paths.pathType'],
};

/** The OpenAPI v3 document of one group/version, as /openapi/v3/<prefix> serves it. */
function document(apiVersion) {
  const schemas = components(data);
  const paths = {};
  for (const k of data.kinds.filter((x) => x.apiVersion === apiVersion)) {
    const b = BUILTIN.find((r) => r.kind === k.kind && (r.group ? `${r.group}/${r.version}` : r.version) === apiVersion);
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    const gvk = { group, kind: k.kind, version };
    schemas[componentName(data, k.schema)]['x-kubernetes-group-version-kind'] = [gvk];
    const prefix = group ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    paths[`${prefix}/${b.namespaced ? 'namespaces/{namespace}/' : ''}${b.resource}`] = { get: { 'x-kubernetes-group-version-kind': gvk } };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.32.4' }, paths, components: { schemas } };
}

const versions = [...new Set(BUILTIN.map((b) => (b.group ? `${b.group}/${b.version}` : b.version)))];
const prefixOf = (gv) => (gv.includes('/') ? `apis/${gv}` : `api/${gv}`);
const resources = (gv) => ({
  kind: 'APIResourceList',
  apiVersion: 'v1',
  groupVersion: gv,
  resources: BUILTIN.filter((b) => (b.group ? `${b.group}/${b.version}` : b.version) === gv).map((b) => ({
    name: b.resource,
    singularName: b.singular,
    namespaced: b.namespaced,
    kind: b.kind,
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    ...(b.shortNames.length ? { shortNames: b.shortNames } : {}),
  })),
});

const routes = new Map([
  [
    '/api',
    { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }] },
  ],
  [
    '/apis',
    {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: versions
        .filter((gv) => gv.includes('/'))
        .map((gv) => {
          const [name, version] = gv.split('/');
          return { name, versions: [{ groupVersion: gv, version }], preferredVersion: { groupVersion: gv, version } };
        }),
    },
  ],
  [
    '/openapi/v3',
    { paths: Object.fromEntries(versions.map((gv) => [prefixOf(gv), { serverRelativeURL: `/openapi/v3/${prefixOf(gv)}?hash=0` }])) },
  ],
  ...versions.map((gv) => [`/${prefixOf(gv)}`, resources(gv)]),
  ...versions.map((gv) => [`/openapi/v3/${prefixOf(gv)}`, document(gv)]),
]);

const server = http.createServer((req, res) => {
  const body = routes.get(new URL(req.url, 'http://x').pathname);
  res.writeHead(body ? 200 : 404, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body ?? { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 }));
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}`;
fs.mkdirSync(OUT, { recursive: true });
for (const [name, args] of Object.entries(QUERIES)) {
  // asynchronously (this process serves kubectl meanwhile), with a cache of its own
  const r = await new Promise((resolve) =>
    execFile(kubectl, ['explain', ...args, `--server=${url}`, '--cache-dir', fs.mkdtempSync('/tmp/kx-')], (err, stdout, stderr) =>
      resolve({ status: err ? (err.code ?? 1) : 0, stdout, stderr }),
    ),
  );
  fs.writeFileSync(
    path.join(OUT, `${name}.txt`),
    `$ kubectl explain ${args.join(' ')}\n${r.stdout}${r.stderr ? `--- stderr\n${r.stderr}` : ''}--- exit ${r.status}\n`,
  );
  console.log(`${name}: exit ${r.status}`);
}
server.close();
