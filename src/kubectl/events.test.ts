// `kubectl events`: kubectl/pkg/cmd/events' table (LAST SEEN, TYPE, REASON, OBJECT as Kind/name,
// MESSAGE), oldest first, a repeated event's `(xN over T)`, --for, --types, and its messages.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeApi } from './_fake.js';
import * as F from './_fixtures.js';
import { kubectl } from './kubectl.js';

const api = new FakeApi(F.NOW);
const backoff = {
  ...F.event,
  metadata: { ...F.event.metadata, name: 'nginx.17f0a1b2c3d4e999' },
  reason: 'BackOff',
  type: 'Warning',
  message: 'Back-off restarting failed container nginx in pod nginx_default(1234)',
  firstTimestamp: new Date(F.NOW - 200_000).toISOString(),
  lastTimestamp: new Date(F.NOW - 20_000).toISOString(),
  count: 7,
};
for (const o of [F.event, F.eventScheduled, backoff]) api.create(structuredClone(o) as never);

async function run(cmd: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await kubectl(
    { client: api, io: { stdout: (t) => void (out += t), stderr: (t) => void (err += t), readFile: () => undefined } },
    cmd.split(' '),
  );
  return { code, out, err };
}

test('kubectl events lists the namespace oldest first with Kind/name objects and a repeated event as (xN over T)', async () => {
  assert.deepEqual(await run('events'), {
    code: 0,
    out: `LAST SEEN             TYPE      REASON      OBJECT      MESSAGE
5m                    Normal    Scheduled   Pod/nginx   Successfully assigned default/nginx to kind-worker
4m50s                 Normal    Pulled      Pod/nginx   Container image "nginx:alpine" already present on machine
20s (x7 over 3m20s)   Warning   BackOff     Pod/nginx   Back-off restarting failed container nginx in pod nginx_default(1234)
`,
    err: '',
  });
  assert.equal((await run('events --types=Warning --no-headers')).out.split('\n').length, 2);
  assert.match((await run('events --for pod/nginx')).out, /^LAST SEEN/);
  assert.deepEqual(await run('events --for pod/other'), { code: 0, out: '', err: 'No events found in default namespace.\n' });
  assert.deepEqual(await run('events --for nginx'), { code: 1, out: '', err: 'error: --for must be in resource/name form\n' });
  assert.deepEqual(await run('events --types=Info'), { code: 1, out: '', err: 'error: valid --types are Normal or Warning\n' });
});
