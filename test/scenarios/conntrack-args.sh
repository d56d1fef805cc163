# conntrack (conntrack-tools 1.4.7) command lines: grouped and abbreviated options, the optional
# table name, a protocol's options after -p, unknown and incomplete options, commands with options
# they refuse, and the number forms its unchecked parsers take; exit statuses of each.
conntrack -I -p tcp -s 10.0.0.1 -d 10.0.0.2 --sport 1000 --dport 80 --state ESTABLISHED -t 3000 -u ASSURED -m 5
conntrack -I -p udp -s 10.0.0.1 -d 10.0.0.3 --sport 53 --dport 53 -t 3000
conntrack -I -p icmp -s 10.0.0.1 -d 10.0.0.4 --icmp-type 8 --icmp-code 0 --icmp-id 7 -t 3000
conntrack -Lptcp
conntrack -L -ptcp
conntrack -Ln
conntrack -Lz
conntrack -zL
conntrack -nL
conntrack -L --pro udp
conntrack -L --p tcp --spo 1000
conntrack --dum -p icmp --icmp-t 8
conntrack -L conntrack
conntrack -Lexpect
conntrack -L expect
conntrack -L exp
conntrack -L dying
conntrack -L foo
conntrack -L ''
conntrack foo -L -p udp
conntrack -L -s 10.0.0.1 extra
conntrack -L -- -s
conntrack
conntrack -V
conntrack -h -p tcp
conntrack --help -p ospf
conntrack -h -p 99
conntrack -h -s 1.1.1.1
conntrack --versio
conntrack -C
conntrack -C expect
conntrack -F expect
conntrack -D expect -s 1.1.1.1
conntrack -U dying
conntrack -L -x
conntrack -L -xz
conntrack -L -zx
conntrack --d
conntrack --s 1.2.3.4 -L
conntrack -L --st ESTABLISHED -p tcp
conntrack -L --foo
conntrack -L --zero=1
conntrack -L -p
conntrack -L --protonum
conntrack -L -s
conntrack -L -p tcp --sport
conntrack -L -p tcp --state
conntrack -L -p tcp --state FOO
conntrack -L -p tcp --state SYN_SENT2
conntrack -L -p icmp --sport 1
conntrack -L -p udp --state ESTABLISHED
conntrack -L -p foo
conntrack -L -p 300
conntrack -L -p 0x11
conntrack -L -p ' 17'
conntrack -L -p TCP --dport 80
conntrack -L -p ospf
conntrack -L -p tcp -p udp --state FOO
conntrack -L -D
conntrack -L -L
conntrack -L -t 5
conntrack -F -s 1.1.1.1
conntrack -s 1.1.1.1
conntrack -p tcp
conntrack -C -p tcp
conntrack -S -s 1.1.1.1
conntrack -L -e NEW
conntrack -L -s 10.0.0.0/24
conntrack -L -s 10.0.0.0/33
conntrack -L -s 10.0.0.0/x
conntrack -L -d 10.0.0.2/-1
conntrack -L -r 10.0.0.2/24
conntrack -L -s foo
conntrack -L -s 10.1
conntrack -L -s 0xa.0.0.1
conntrack -L -s '10.0.0.1 trailing'
conntrack -L -s ::1 -d 10.0.0.2
conntrack -L -s ::1
conntrack -L -f ipv5
conntrack -L -f ipv4
conntrack -L -f ipv6
conntrack -L -f ipv4x
conntrack -L -f ipv6 -s 10.0.0.1
conntrack -L -u FOO
conntrack -L -u ASS
conntrack -L -u assured
conntrack -L -u ASSURED,FOO,SEEN_REPLY
conntrack -L -u ,ASSURED
conntrack -L -u UNREPLIED
conntrack -L -u '!ASSURED'
conntrack -L -u S
conntrack -L -u UNSET
conntrack -L -m foo
conntrack -L -m 5
conntrack -L -m 0x5/0xff
conntrack -L -m 4/0x4
conntrack -L -m -1
conntrack -L -z -s 10.0.0.1
conntrack -L -o foo
conntrack -L -o ext
conntrack -L -o extended,foo
conntrack -L -o save,extended
conntrack -L --src-nat --any-nat
conntrack -L --src-nat 10.0.0.1:99999
conntrack -L --src-nat 10.0.0.1:
conntrack -L --src-nat 10.0.0.1/24
conntrack -L --dst-nat=10.0.0.2 -p tcp
conntrack -L -n10.0.0.2
conntrack -L --any-nat '[::1'
conntrack -L -w 5
conntrack -L -w 0 -p tcp
conntrack -L --label foo
conntrack -L -a x
conntrack -L -i 5
conntrack -L -p tcp --sport abc
conntrack -L -p tcp --dport 65616
conntrack -L -p tcp --reply-port-src 80 --reply-port-d 1000
conntrack -L -p icmp --icmp-type 264
conntrack -G -s 10.0.0.1 -d 10.0.0.2 -p tcp
conntrack -G -s 10.0.0.1 -d 10.0.0.2 -p tcp --sport 1000 --dport 80
conntrack -G -s 10.0.0.1 -d 10.0.0.2 -p tcp --sport 1000 --dport 81
conntrack -G -s 10.0.0.1 -p tcp --sport 1000 --dport 80
conntrack -G -r 10.0.0.2 -p tcp --sport 1000 --dport 80
conntrack -U -p udp -m 1
conntrack -U -p tcp -m 9 -s 10.0.0.1
conntrack -U -p tcp -m 9 -s 10.0.0.1
conntrack -U -p tcp -m 0x10/0x10 -u ASSURED
conntrack -L -m 9
conntrack -I -p tcp -s 10.0.0.1 -d 10.0.0.2 --sport 1000 --dport 80 --state FOO -t 3000
conntrack -I -p tcp -s 10.0.0.1 -d 10.0.0.2 --sport 1000 --state ESTABLISHED -t 3000
conntrack -I -p tcp -s 10.0.0.1 -d 10.0.0.2 --sport 1000 --dport 80 -t 3000
conntrack -I -p tcp -s 10.0.0.1 --sport 1000 --dport 80 --state ESTABLISHED -t 3000
conntrack -I -p tcp -r 10.0.0.1 --sport 1000 --dport 80 --state ESTABLISHED -t 3000
conntrack -I -p tcp -s 10.0.0.1/24 -d 10.0.0.2 --sport 1000 --dport 80 --state ESTABLISHED -t 3000
conntrack -I -p icmp -s 10.0.0.1 -d 10.0.0.5 --icmp-type 8 -t 3000
conntrack -I -s 10.0.0.1 -d 10.0.0.5 -t 3000
conntrack -I -p udp -s 10.0.0.1 -d 10.0.0.3 --sport 53 --dport 53 -t 3000
conntrack -A -p udp -s 10.0.0.1 -d 10.0.0.3 --sport 53 --dport 53 -t 3000
conntrack -A -p udp -s 10.0.0.1 -d 10.0.0.6 --sport 53 --dport 53 -t 3000
conntrack -I -p udp -s 10.0.0.1 -d 10.0.0.7 --sport 53 --dport 53 -t -1 -z
conntrack -D -p udp --sport 53
conntrack -D -p udp --sport 53
conntrack -D -s 10.9.9.9
conntrack -D
conntrack -L
conntrack -F
conntrack -C
conntrack -L -p sctp --dport 80
conntrack -L -p sctp --state ESTABLISHED
conntrack -L -p sctp --orig-vtag 5
conntrack -I -p sctp -s 10.0.0.1 -d 10.0.0.2 --sport 1 --dport 2 -t 3000
conntrack -G -p sctp -s 10.0.0.1 -d 10.0.0.2 --sport 1
conntrack -L -p dccp --role foo
conntrack -L -p dccp --state FOO
conntrack -G -p dccp -s 10.0.0.1 -d 10.0.0.2 --reply-port-src 1
conntrack -L -p gre --srckey 5
conntrack -G -p gre -s 10.0.0.1 -d 10.0.0.2 --reply-key-src 1
conntrack -G -p gre -s 10.0.0.1 -d 10.0.0.2
conntrack -L -p icmpv6 --icmpv6-type 128
conntrack -L -p icmpv6 --icmp-type 8
conntrack -I -p icmpv6 -s 10.0.0.1 -d 10.0.0.2 --icmpv6-type 128 -t 3000
conntrack -h -p sctp
conntrack -h -p dccp
conntrack -h -p gre
conntrack -h -p icmpv6
conntrack -h -p udplite
