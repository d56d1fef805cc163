// The request line: the client process's fields are checked, and the kubeconfig path is kubectl's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kubeconfigPath, parseRequest } from './protocol.js';

test("kubeconfigPath: $KUBECONFIG's first entry, else $HOME/.kube/config", () => {
  assert.equal(kubeconfigPath({ KUBECONFIG: ':/a/one:/b/two', HOME: '/home/u' }), '/a/one');
  assert.equal(kubeconfigPath({ HOME: '/home/u/' }), '/home/u/.kube/config');
  assert.equal(kubeconfigPath({}), undefined);
});

test('parseRequest takes the client process and refuses a malformed one, naming the field', () => {
  const base = { v: 1, argv: ['kubectl', 'get', 'pod'], cwd: '/tmp' };
  const ok = parseRequest(JSON.stringify({ ...base, client: { pid: 42, kubeconfig: '/h/.kube/config' } }));
  assert.deepEqual((ok as { client?: unknown }).client, { pid: 42, kubeconfig: '/h/.kube/config' });
  assert.deepEqual(parseRequest(JSON.stringify({ ...base, client: [] })), { error: 'malformed request: field "client" is not an object' });
  assert.deepEqual(parseRequest(JSON.stringify({ ...base, client: { pid: -1 } })), {
    error: 'malformed request: field "client.pid" is not a process ID',
  });
  assert.deepEqual(parseRequest(JSON.stringify({ ...base, client: { kubeconfig: 7 } })), {
    error: 'malformed request: field "client.kubeconfig" is not a string',
  });
});
