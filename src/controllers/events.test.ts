// The event correlator: a repeat of (object, reason, message, source) bumps the Event's count,
// whether the object has a few remembered events or thousands (a DaemonSet's "Created pod: …").
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventQueue } from '../sim/index.js';
import { Cluster } from './index.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

test('EventRecorder: repeats bump the count among few and many events of one object; the oldest are forgotten', () => {
  const c = new Cluster({ name: 'kind', clock: new EventQueue(), seed: 'events' });
  c.store.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'few', namespace: 'default' } });
  c.store.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'many', namespace: 'default' } });
  const few = c.store.get('configmaps', 'default', 'few');
  const many = c.store.get('configmaps', 'default', 'many');
  const counts = (name: string) =>
    (c.store.list('events', 'default').items as Obj[])
      .filter((e) => e.involvedObject.name === name)
      .map((e) => `${e.reason} ${e.message} ${e.source.host ?? ''} ${e.count}`)
      .sort();
  for (let i = 0; i < 3; i++) c.events.record(few, 'Normal', 'Seen', `once ${i}`, 'test');
  c.events.record(few, 'Normal', 'Seen', 'once 1', 'test');
  c.events.record(few, 'Normal', 'Other', 'once 1', 'test');
  c.events.record(few, 'Normal', 'Seen', 'once 1', 'test', 'node-a');
  assert.deepEqual(counts('few'), ['Other once 1  1', 'Seen once 0  1', 'Seen once 1  2', 'Seen once 1 node-a 1', 'Seen once 2  1']);
  // past a list's worth: the same answers, by message
  for (let i = 0; i < 100; i++) c.events.record(many, 'Normal', 'Created', `pod ${i}`, 'test');
  for (const i of [0, 7, 50, 99, 99]) c.events.record(many, 'Normal', 'Created', `pod ${i}`, 'test');
  c.events.record(many, 'Warning', 'Failed', 'pod 7', 'test');
  const m = counts('many');
  assert.equal(m.length, 101);
  assert.deepEqual(
    m.filter((l) => !l.endsWith(' 1')),
    ['Created pod 0  2', 'Created pod 50  2', 'Created pod 7  2', 'Created pod 99  3'],
  );
  // 4,096 newer events push pod 0's out of the correlator: its repeat is a new Event
  for (let i = 0; i < 4096; i++) c.events.record(few, 'Normal', 'Filler', `filler ${i}`, 'test');
  c.events.record(many, 'Normal', 'Created', 'pod 0', 'test');
  assert.deepEqual(
    counts('many').filter((l) => l.startsWith('Created pod 0 ')),
    ['Created pod 0  1', 'Created pod 0  2'],
  );
});

test('EventRecorder: an event the API server refuses (its namespace is being terminated) is dropped, as client-go drops it', () => {
  const c = new Cluster({ name: 'kind', clock: new EventQueue(), seed: 'events' });
  c.store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'gone' } });
  c.store.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'gone' } });
  const cm = c.store.get('configmaps', 'gone', 'cm');
  c.store.delete('namespaces', undefined, 'gone');
  assert.ok(c.store.get('namespaces', undefined, 'gone').metadata.deletionTimestamp);
  c.events.record(cm, 'Normal', 'Killing', 'Stopping container c', 'kubelet', 'kind-worker');
  assert.equal(c.store.list('events', 'gone').items.length, 0);
});
