// A tool's refusal read as the kernel's errno (src/host/errno.ts), by its strerror() or extack text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errnoOfToolMessage } from '../../src/host/errno.js';

test("a tool's refusal names the errno of its strerror() or single-errno extack text, and no errno otherwise", () => {
  const cases: [string, string | undefined][] = [
    ['RTNETLINK answers: File exists\n', 'EEXIST'],
    ['RTNETLINK answers: No such process\nCommand failed -:3\n', 'ESRCH'],
    ['RTNETLINK answers: Operation not supported\n', 'EOPNOTSUPP'],
    ['RTNETLINK answers: Network is unreachable\n', 'ENETUNREACH'],
    ['RTNETLINK answers: Device or resource busy\n', 'EBUSY'],
    ['Error: ipv4: Address already assigned.\n', 'EEXIST'],
    ['Error: ipv4: Address not found.\n', 'EADDRNOTAVAIL'],
    ['Cannot find device "nonesuch"\n', 'ENODEV'],
    ['sysctl: cannot stat /proc/sys/net/ipv4/nonesuch: No such file or directory\n', 'ENOENT'],
    ['sysctl: setting key "net.ipv4.ip_forward": Invalid argument\n', 'EINVAL'],
    ['Cannot open network namespace "a": No such file or directory\n', 'ENOENT'],
    // one text, two errnos in the kernel (fib_check_nh_v4_gw): not guessed
    ['Error: Nexthop has invalid gateway.\n', undefined],
    // the tool's own usage errors
    ['Error: any valid prefix is expected rather than "10.1.2.300/24".\n', undefined],
    ['Error: argument "x" is wrong: invalid metric\n', undefined],
    ['', undefined],
  ];
  assert.deepEqual(
    cases.map(([text]) => [text, errnoOfToolMessage(text)]),
    cases,
  );
});
