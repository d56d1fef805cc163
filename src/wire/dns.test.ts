import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeDns, encodeDns, frameDnsTcp, unframeDnsTcp, type DnsMessage } from './index.js';

test('encodeDns() writes RFC 1035 bytes (uncompressed names, EDNS OPT with COOKIE) that decodeDns() reads back', () => {
  const q: DnsMessage = {
    id: 0x1234,
    qr: false,
    rd: true,
    rcode: 'NOERROR',
    questions: [{ name: 'web.default.svc.cluster.local', type: 'A' }],
    answers: [],
    authorities: [],
    additionals: [],
    edns: { udpSize: 1232, cookie: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]) },
  };
  const bytes = encodeDns(q);
  // header: id, flags RD, 1 question, 0 answers, 0 authorities, 1 additional (OPT)
  assert.deepEqual([...bytes.subarray(0, 12)], [0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 1]);
  // QNAME 3web7default3svc7cluster5local0, QTYPE 1, QCLASS 1; OPT: root, type 41, class = udp size, ttl 0, rdlen 12, COOKIE option
  assert.equal(bytes.length, 12 + 31 + 4 + 11 + 12);
  const back = decodeDns(bytes);
  assert.equal(back.id, 0x1234);
  assert.equal(back.rd, true);
  assert.deepEqual(back.questions, q.questions);
  assert.equal(back.edns?.udpSize, 1232);
  assert.deepEqual([...back.edns!.cookie!], [1, 2, 3, 4, 5, 6, 7, 8]);
  const r: DnsMessage = {
    id: 7,
    qr: true,
    aa: true,
    rd: true,
    rcode: 'NXDOMAIN',
    questions: [{ name: 'nope.default.svc.cluster.local', type: 'A' }],
    answers: [],
    authorities: [
      {
        name: 'cluster.local',
        type: 'SOA',
        ttl: 30,
        data: {
          mname: 'ns.dns.cluster.local',
          rname: 'hostmaster.cluster.local',
          serial: 1767225600,
          refresh: 7200,
          retry: 1800,
          expire: 86400,
          minimum: 30,
        },
      },
    ],
    additionals: [],
  };
  const rb = encodeDns(r);
  assert.deepEqual([...rb.subarray(2, 4)], [0x85, 0x03], 'QR AA RD, rcode 3');
  const rr = decodeDns(rb);
  assert.equal(rr.rcode, 'NXDOMAIN');
  assert.equal(rr.aa, true);
  assert.equal(rr.ra, false);
  assert.deepEqual(rr.authorities, r.authorities);
});

test('frameDnsTcp() prefixes the length; unframeDnsTcp() waits for a whole message', () => {
  const f = frameDnsTcp(new Uint8Array([9, 8, 7]));
  assert.deepEqual([...f], [0, 3, 9, 8, 7]);
  assert.equal(unframeDnsTcp(f.subarray(0, 4)), undefined);
  assert.deepEqual([...unframeDnsTcp(f)!.msg], [9, 8, 7]);
});

test('decodeDns() refuses bytes that are no DNS message with a WireError', () => {
  assert.throws(() => decodeDns(new Uint8Array([0, 1, 2])), /DNS/);
});
