// goServe: one request answered as net/http's ServeMux and response writer do.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type GoMux, goError, goServe } from './http.js';

const date = new Date(Date.UTC(2026, 0, 1));
const mux: GoMux = {
  handlers: {
    '/echo': (r) => ({ body: `${r.method} ${r.path} ${r.query.get('a') ?? '-'} ${r.query.has('v')}` }),
    '/only-get': (r) => (r.method === 'GET' ? { body: 'ok\n' } : goError(405, 'Method Not Allowed', { Allow: 'GET' })),
  },
};

test('goServe() waits for the whole head, then routes by exact path with the query apart', () => {
  assert.equal(goServe(mux, 'GET /echo HTTP/1.1\r\nHost: x\r\n', date, 0), undefined);
  assert.equal(
    goServe(mux, 'GET /echo?a=1&v HTTP/1.1\r\nHost: x\r\n\r\n', date, 0),
    'HTTP/1.1 200 OK\r\nDate: Thu, 01 Jan 2026 00:00:00 GMT\r\nContent-Length: 16\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nGET /echo 1 true',
  );
  assert.match(goServe(mux, 'GET /echo/ HTTP/1.1\r\n\r\n', date, 0)!, /^HTTP\/1\.1 404 Not Found\r\n[^]*\r\n\r\n404 page not found\n$/);
});

test('goServe() echoes Connection: close, writes no body for HEAD, and writes http.Error as Go does', () => {
  const head = goServe(mux, 'HEAD /only-get HTTP/1.1\r\nConnection: close\r\n\r\n', date, 0)!;
  assert.equal(
    head,
    'HTTP/1.1 405 Method Not Allowed\r\nAllow: GET\r\nContent-Type: text/plain; charset=utf-8\r\nX-Content-Type-Options: nosniff\r\nDate: Thu, 01 Jan 2026 00:00:00 GMT\r\nContent-Length: 19\r\nConnection: close\r\n\r\n',
  );
});
