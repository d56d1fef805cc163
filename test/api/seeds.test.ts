// Every manifest and kind config of the seeds (test/seeds/, each file naming its seed and line)
// parses and applies as it is; with one field misspelled it fails with the strict decoder's message
// and changes nothing — as `kubectl create -f` and `kind create cluster --config` answer.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { ApiError, type KubeObject } from '../../src/api/index.js';
import { KindWorld, parseKindConfig, runKind, validateKindConfig } from '../../src/kind/index.js';
import { EventQueue } from '../../src/sim/index.js';

const DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../test/seeds');
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const manifests = files.filter((f) => !f.startsWith('kind-'));
const kindConfigs = files.filter((f) => f.startsWith('kind-'));

const docs = (text: string) =>
  parseAllDocuments(text)
    .map((d) => d.toJS() as KubeObject)
    .filter((d) => d);

/** The seeds' lab: `myk8s` with three workers, and MetalLB's CRDs and namespace. */
async function lab() {
  const world = new KindWorld(new EventQueue());
  const config =
    'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n- role: worker\n- role: worker\n- role: worker\n';
  const status = await runKind(world, ['create', 'cluster', '--name', 'myk8s', '--config', 'c.yaml'], {
    stdout() {},
    stderr() {},
    readFile: () => new TextEncoder().encode(config),
  });
  assert.equal(status, 0);
  const store = world.get('myk8s')!.cluster.store;
  const crd = (kind: string, plural: string, spec: Record<string, unknown>) =>
    store.create({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `${plural}.metallb.io` },
      spec: {
        group: 'metallb.io',
        names: { kind, plural, listKind: `${kind}List`, singular: kind.toLowerCase() },
        scope: 'Namespaced',
        versions: [
          {
            name: 'v1beta1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: {
                  apiVersion: { type: 'string' },
                  kind: { type: 'string' },
                  metadata: { type: 'object' },
                  spec: { type: 'object', properties: spec },
                  status: { type: 'object' },
                },
              },
            },
          },
        ],
      },
    });
  crd('IPAddressPool', 'ipaddresspools', {
    addresses: { type: 'array', items: { type: 'string' } },
    autoAssign: { type: 'boolean' },
    avoidBuggyIPs: { type: 'boolean' },
  });
  crd('L2Advertisement', 'l2advertisements', {
    ipAddressPools: { type: 'array', items: { type: 'string' } },
    interfaces: { type: 'array', items: { type: 'string' } },
  });
  store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'metallb-system' } });
  return { world, store };
}

test('every seed manifest applies as it is', async () => {
  assert.ok(manifests.length >= 10);
  const { world, store } = await lab();
  for (const f of manifests) {
    for (const doc of docs(readFileSync(join(DIR, f), 'utf8'))) {
      try {
        store.create(doc);
      } catch (e) {
        assert.fail(`${f}: ${doc.kind} ${doc.metadata?.name}: ${(e as Error).message}`);
      }
    }
  }
  world.get('myk8s')!.cluster.settle();
  const svc = store.get('services', 'default', 'deploy-websrv') as unknown as { spec: { ports: { nodePort: number }[] } };
  assert.equal(svc.spec.ports[0]!.nodePort, 31001);
  assert.equal(
    store.list('pods', 'default', { labelSelector: 'app=deploy-websrv' }).items.length,
    4,
    'deploy-websrv and deploy-echo make two pods each',
  );
});

/** Renames the first field under spec (a ConfigMap: its `data`) to a misspelling. */
function misspell(doc: KubeObject): { doc: KubeObject; field: string } {
  const copy = structuredClone(doc) as Record<string, unknown>;
  const spec = copy.spec as Record<string, unknown> | undefined;
  const [obj, prefix] = spec && Object.keys(spec).length ? [spec, 'spec.'] : [copy, ''];
  const key = Object.keys(obj).find((k) => !['apiVersion', 'kind', 'metadata'].includes(k))!;
  obj[`${key}x`] = obj[key];
  delete obj[key];
  return { doc: copy as KubeObject, field: `${prefix}${key}x` };
}

test('each seed manifest with one field misspelled fails with the strict decoding message and changes nothing', async () => {
  let checked = 0;
  for (const f of manifests) {
    for (const doc of docs(readFileSync(join(DIR, f), 'utf8'))) {
      const bad = misspell(doc);
      const { store } = await lab();
      const before = store.resourceVersion;
      const kind = doc.kind;
      const version = doc.apiVersion.split('/').pop();
      assert.throws(
        () => store.create(bad.doc),
        (e: unknown) =>
          e instanceof ApiError &&
          e.reason === 'BadRequest' &&
          e.message ===
            `${kind} in version "${version}" cannot be handled as a ${kind}: strict decoding error: unknown field "${bad.field}"`,
        `${f}: ${kind} ${doc.metadata.name}`,
      );
      assert.equal(store.resourceVersion, before, `${f}: nothing changed`);
      checked++;
    }
  }
  assert.ok(checked >= 15, `checked ${checked}`);
});

test('every kind config of the seeds is accepted; a misspelled field fails as kind says', () => {
  assert.ok(kindConfigs.length >= 5);
  for (const f of kindConfigs) {
    const text = readFileSync(join(DIR, f), 'utf8');
    const config = parseKindConfig(text);
    assert.deepEqual(validateKindConfig(config), [], f);
    const bad = text.replace(/^nodes:/m, 'nodess:');
    const line = bad.split('\n').findIndex((l) => l.startsWith('nodess:')) + 1;
    assert.throws(
      () => parseKindConfig(bad),
      { message: `unable to decode config: yaml: unmarshal errors:\n  line ${line}: field nodess not found in type v1alpha4.Cluster` },
      f,
    );
  }
});
