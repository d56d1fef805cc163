// curl 7.88 against a server that accepts and closes without a byte: `curl: (52) Empty reply from
// server`, exit 52, -w's code 000 (the real curl 7.88.1 here, against `nc -l </dev/null`).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tcpOf } from '../../kernel/index.js';
import { Session } from '../../shell/session.js';

test('curl: a connection closed with nothing sent is an empty reply (52)', () => {
  const s = new Session();
  s.exec(['ip', 'link', 'set', 'lo', 'up']);
  tcpOf(s.host.root).listen(8080, 0, (accepted) => {
    accepted.close();
    return {};
  });
  const r = s.exec(['curl', '-sS', '-w', '%{http_code}\\n', 'http://127.0.0.1:8080/']);
  assert.deepEqual([r.status, r.stdout, r.stderr], [52, '000\n', 'curl: (52) Empty reply from server\n']);
});
