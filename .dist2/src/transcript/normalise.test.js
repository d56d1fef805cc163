import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalise } from './index.js';
test('normalise() numbers MACs by first appearance and keeps zero and broadcast', () => {
    const text = [
        '$ ip link',
        '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
        '    link/ether d2:a1:90:78:3c:4b brd ff:ff:ff:ff:ff:ff link-netnsid 0',
        '    link/ether 2A:AA:60:EE:27:D4 brd ff:ff:ff:ff:ff:ff',
        '10.0.0.2 dev veth2 lladdr 2a:aa:60:ee:27:d4 REACHABLE ',
        '{"address":"d2:a1:90:78:3c:4b"}',
        '    bridge id 8000.d2:a1:90:78:3c:4b',
        '',
    ].join('\n');
    assert.equal(normalise(text), [
        '$ ip link',
        '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
        '    link/ether MAC1 brd ff:ff:ff:ff:ff:ff link-netnsid 0',
        '    link/ether MAC2 brd ff:ff:ff:ff:ff:ff',
        '10.0.0.2 dev veth2 lladdr MAC2 REACHABLE ',
        '{"address":"MAC1"}',
        '    bridge id 8000.MAC1',
        '',
    ].join('\n'));
});
test('normalise() keeps MACs the script chose and multicast group MACs, but not solicited-node ones', () => {
    const text = [
        '$ ip link set flannel.1 address 0e:00:00:00:01:01',
        '$ bridge fdb show',
        '0e:00:00:00:01:01 dev flannel.1 self permanent',
        '33:33:00:00:00:01 dev veth0 self permanent',
        '01:00:5e:00:00:01 dev veth0 self permanent',
        '33:33:ff:e9:4d:dd dev veth0 self permanent',
        '6a:d1:05:e9:4d:dd dev veth0 master br0 ',
        '',
    ].join('\n');
    assert.equal(normalise(text), [
        '$ ip link set flannel.1 address 0e:00:00:00:01:01',
        '$ bridge fdb show',
        '0e:00:00:00:01:01 dev flannel.1 self permanent',
        '33:33:00:00:00:01 dev veth0 self permanent',
        '01:00:5e:00:00:01 dev veth0 self permanent',
        'MAC1 dev veth0 self permanent',
        'MAC2 dev veth0 master br0 ',
        '',
    ].join('\n'));
});
test('normalise() numbers IPv6 link-local addresses but keeps fe80::/64 and ::1', () => {
    const text = [
        '    inet6 fe80::68d1:5ff:fee9:4ddd/64 scope link ',
        '    inet6 ::1/128 scope host ',
        'fe80::/64 dev veth2 proto kernel metric 256 pref medium',
        '{"local":"fe80::4a9:b4ff:fe9c:1/64"} {"local":"fe80::68d1:5ff:fee9:4ddd"}',
        '',
    ].join('\n');
    assert.equal(normalise(text), [
        '    inet6 LL1/64 scope link ',
        '    inet6 ::1/128 scope host ',
        'fe80::/64 dev veth2 proto kernel metric 256 pref medium',
        '{"local":"LL2/64"} {"local":"LL1"}',
        '',
    ].join('\n'));
});
test('normalise() replaces ping round-trip times and elapsed time, keeps counts', () => {
    const text = [
        '64 bytes from 10.0.0.2: icmp_seq=1 ttl=64 time=0.045 ms',
        '64 bytes from 10.0.0.2: icmp_seq=2 ttl=64 time=1012 ms',
        '2 packets transmitted, 2 received, 0% packet loss, time 1001ms',
        '1 packets transmitted, 0 received, +1 errors, 100% packet loss, time 0ms',
        'rtt min/avg/max/mdev = 0.061/0.091/0.122/0.030 ms, ipg/ewma 0.123/0.456 ms',
        '',
    ].join('\n');
    assert.equal(normalise(text), [
        '64 bytes from 10.0.0.2: icmp_seq=1 ttl=64 time=RTT ms',
        '64 bytes from 10.0.0.2: icmp_seq=2 ttl=64 time=RTT ms',
        '2 packets transmitted, 2 received, 0% packet loss, time ELAPSEDms',
        '1 packets transmitted, 0 received, +1 errors, 100% packet loss, time ELAPSEDms',
        'rtt min/avg/max/mdev = RTT/RTT/RTT/RTT ms, ipg/ewma IPG/EWMA ms',
        '',
    ].join('\n'));
});
test('normalise() replaces tcpdump timestamps and ICMP echo ids', () => {
    assert.equal(normalise('02:27:01.123456 IP 10.0.0.1 > 10.0.0.2: ICMP echo request, id 4711, seq 1, length 64\n'), 'TIME IP 10.0.0.1 > 10.0.0.2: ICMP echo request, id ID, seq 1, length 64\n');
});
test('normalise() leaves ifindexes, flags, states and addresses alone', () => {
    const text = '7: veth2@if8: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP\n    inet 10.0.0.1/24 scope global veth2\n';
    assert.equal(normalise(text), text);
});
test('normalise() sorts ip neigh output, plain and -j, before numbering MACs', () => {
    const run = (first, second) => normalise([
        '$ ip netns exec ns1 ip neigh',
        first,
        second,
        '$ ip -j neigh show dev eth0',
        `[{"dst":"${first.split(' ')[0]}","lladdr":"${first.split(' ')[4]}"},{"dst":"${second.split(' ')[0]}","lladdr":"${second.split(' ')[4]}"}]`,
        '$ ip link',
        '',
    ].join('\n'));
    const a = '172.18.0.3 dev eth0 lladdr 6a:d1:05:e9:4d:dd REACHABLE ';
    const b = '172.18.0.1 dev eth0 lladdr 0a:00:00:00:00:01 STALE ';
    assert.equal(run(a, b), run(b, a));
    assert.equal(run(a, b), [
        '$ ip netns exec ns1 ip neigh',
        '172.18.0.1 dev eth0 lladdr MAC1 STALE ',
        '172.18.0.3 dev eth0 lladdr MAC2 REACHABLE ',
        '$ ip -j neigh show dev eth0',
        '[{"dst":"172.18.0.1","lladdr":"MAC1"},{"dst":"172.18.0.3","lladdr":"MAC2"}]',
        '$ ip link',
        '',
    ].join('\n'));
});
test('normalise() does not reorder other commands', () => {
    const text = '$ ip route\n10.0.0.0/24 dev b\n1.0.0.0/8 dev a\n';
    assert.equal(normalise(text), text);
});
test('normalise() treats bridge ids as the bridge MAC, padded or not', () => {
    const text = [
        '    link/ether 02:0a:22:03:44:05 brd ff:ff:ff:ff:ff:ff',
        'bridge_id 8000.2:a:22:3:44:5 designated_root 8000.2:a:22:3:44:5 root_port 0',
        'br0\t\t8000.020a22034405\tno\t\tveth1',
        'designated_bridge 8000.6a:d1:5:e9:4d:dd',
        '',
    ].join('\n');
    assert.equal(normalise(text), [
        '    link/ether MAC1 brd ff:ff:ff:ff:ff:ff',
        'bridge_id 8000.MAC1 designated_root 8000.MAC1 root_port 0',
        'br0\t\t8000.MAC1\tno\t\tveth1',
        'designated_bridge 8000.MAC2',
        '',
    ].join('\n'));
});
test('normalise() replaces tcpdump -v IP ids and VXLAN source ports, keeps the rest of the header', () => {
    const text = [
        '02:47:31.027668 IP (tos 0x0, ttl 64, id 36224, offset 0, flags [none], proto UDP (17), length 134)',
        '    192.168.102.3.38240 > 192.168.102.4.8472: OTV, flags [I] (0x08), overlay 0, instance 1',
        'IP 10.0.0.1.53124 > 10.0.0.2.53: 1+ A? example.com. (29)',
        '',
    ].join('\n');
    assert.equal(normalise(text), [
        'TIME IP (tos 0x0, ttl 64, id IPID, offset 0, flags [none], proto UDP (17), length 134)',
        '    192.168.102.3.SPORT > 192.168.102.4.8472: OTV, flags [I] (0x08), overlay 0, instance 1',
        'IP 10.0.0.1.53124 > 10.0.0.2.53: 1+ A? example.com. (29)',
        '',
    ].join('\n'));
});
//# sourceMappingURL=normalise.test.js.map