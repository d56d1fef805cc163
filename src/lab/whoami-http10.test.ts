// traefik/whoami answering HTTP/1.0 (curl -0) and Connection fields as Go's net/http does: the
// status line follows the request's version (writeStatusLine), an HTTP/1.0 request without
// keep-alive is answered and closed with no Connection field, one with keep-alive gets
// `Connection: keep-alive` and the connection stays; the echoed request is Go's Request.Write,
// which always writes HTTP/1.1 and adds `Connection: close` after User-Agent for a request the
// server will close (Request.Close), unless the request's own Connection field says close.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kindCluster, netshootPod, run } from './fixtures.js';

const WHOAMI = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: who\nspec:\n  containers:\n  - name: who\n    image: traefik/whoami\n';

test('whoami answers curl -0 with HTTP/1.0 and echoes the request as Request.Write does', async () => {
  const lab = await kindCluster(0, `${WHOAMI}---\n${netshootPod('netpod')}`);
  lab.advance(5_000);
  const ip = (await run(lab, {}, 'kubectl', 'get', 'pod', 'who', '-o', 'jsonpath={.status.podIP}')).out;
  const curl = (...args: string[]) => run(lab, {}, 'kubectl', 'exec', 'netpod', '--', 'curl', '-s', ...args);
  const echo = (text: string) => text.slice(text.search(/\n(GET|POST) \//) + 1);

  const ten = await curl('-0', '-i', `http://${ip}/`);
  assert.equal(ten.status, 0, ten.err);
  assert.match(
    ten.out,
    /^HTTP\/1\.0 200 OK\r\nDate: [^\r]+ GMT\r\nContent-Length: \d+\r\nContent-Type: text\/plain; charset=utf-8\r\n\r\n/,
  );
  assert.doesNotMatch(ten.out.slice(0, ten.out.indexOf('\r\n\r\n')), /Connection/);
  assert.equal(echo(ten.out), `GET / HTTP/1.1\r\nHost: ${ip}\r\nUser-Agent: curl/7.88.1\r\nConnection: close\r\nAccept: */*\r\n\r\n`);

  const kept = await curl('-0', '-i', '-H', 'Connection: keep-alive', `http://${ip}/`);
  assert.equal(kept.status, 0, kept.err);
  assert.match(kept.out, /^HTTP\/1\.0 200 OK\r\n(?:[^\r]+\r\n)*Connection: keep-alive\r\n\r\n/);
  assert.equal(echo(kept.out), `GET / HTTP/1.1\r\nHost: ${ip}\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\nConnection: keep-alive\r\n\r\n`);

  // HTTP/1.1 asking to close: its own field is echoed in sorted place, and the answer says close
  const closing = await curl('-i', '-H', 'Connection: close', `http://${ip}/`);
  assert.match(closing.out, /^HTTP\/1\.1 200 OK\r\n(?:[^\r]+\r\n)*Connection: close\r\n\r\n/);
  assert.equal(echo(closing.out), `GET / HTTP/1.1\r\nHost: ${ip}\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\nConnection: close\r\n\r\n`);

  // a body: Connection: close, then the transfer fields, then the others sorted
  const posted = await curl('-0', '-d', 'a=1', `http://${ip}/`);
  assert.equal(
    echo(posted.out),
    `POST / HTTP/1.1\r\nHost: ${ip}\r\nUser-Agent: curl/7.88.1\r\nConnection: close\r\nContent-Length: 3\r\nAccept: */*\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\na=1`,
  );
});
