# Buckets grow to bucketsize and the table doubles: members keep the kernel's order, sizes its arithmetic.
ipset create G hash:ip hashsize 64 initval 0x41
ipset add G 10.0.0.0/24
ipset list G -t
ipset list G
ipset create H hash:ip,port hashsize 64 bucketsize 4 initval 0x42
ipset add H 10.0.0.1-10.0.0.40,tcp:80-82
ipset list H -t
ipset del H 10.0.0.1-10.0.0.30,tcp:80
ipset list H
ipset create K hash:net hashsize 4096 initval 0x43
ipset add K 10.0.0.0-10.0.3.255
ipset add K 10.9.0.0/16
ipset list K
ipset create M hash:ip maxelem 3 initval 0x44
ipset add M 1.1.1.1-1.1.1.5
ipset list M
