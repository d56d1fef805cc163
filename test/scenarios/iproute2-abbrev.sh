# ip and bridge (iproute2 6.1) read objects, commands, keywords and options by any prefix
# (matches()): the first object in ip's table order wins (`ip n` is neigh, `ip ne` neigh, `ip net`
# netns), as does the first of a command's words; what is not a prefix fails with the real message.
ip link add d0 type bridge
ip li set d0 up
ip l s dev d0 mtu 1400
ip a add 10.0.0.1/24 dev d0
ip a
ip ad sh dev d0
ip addr l dev d0
ip -br a
ip -br l
ip -br -4 a s
ip -4 -o a s dev d0
ip -o l sh dev lo
ip li sh dev lo
ip link sh lo
ip r
ip r s
ip ro l
ip route sh table main
ip r g 10.0.0.5
ip r a 10.1.0.0/16 dev d0
ip r d 10.1.0.0/16
ip r del 10.1.0.0/16
ip ru
ip ru s
ip rul l
ip n
ip ne
ip neigh sh
ip n a 10.0.0.9 lladdr 02:00:00:00:00:09 dev d0
ip n s dev d0
ip n fl dev d0
ip net
ip netn l
ip -s l s dev d0
ip -d l s dev d0
ip -de l s dev d0
ip -det l s dev d0
ip -j a s dev lo
ip -js l s dev lo
ip -p -j l s dev lo
ip -f inet a s dev d0
ip -fam inet a s dev d0
ip -4 r
ip -0 a s dev lo
ip -0 a
ip -n foo a
ip -x a
ip foo
ip ''
ip a foo
ip a sh foo
ip l set d0 foo
ip r foo
ip n foo
ip link sho dev d0
ip link showw dev d0
ip addr ls dev d0
ip addr lst dev d0
ip -V
ip -Ver
ip -h
bridge fdb sh
bridge f s dev d0
bridge fdb
bridge l
bridge li sh
bridge -d fdb sh
bridge -j fdb sh
bridge foo
bridge fdb foo
bridge -x fdb
bridge -V
ip r a 10.2.0.0/16 dev d0 metr 5
ip ro sh pro kernel
ip a add 10.0.0.2/24 dev d0 brd + sc link
ip a s dev d0 sc link
ip n rep 10.0.0.9 lla 02:00:00:00:00:0a dev d0
ip n s dev d0 nud perm
ip n s dev d0 nud PERMANENT
ip n s dev d0 nud 0x80
ip n s dev d0 nud 3
ip n s dev d0 nud f
ip n s dev d0 nud sta
ip l se d0 mt 1300
ip -stat l s dev lo
ip ad
ip link del d0
