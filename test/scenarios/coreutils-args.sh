# sleep (coreutils 9.1) and hostname (3.23) command lines as getopt_long reads them.
sleep
sleep --
sleep -x
sleep 0 -x
sleep -1
sleep -- -1
sleep a 0 1x
sleep --foo
sleep --help=3
sleep --h
sleep --vers
sleep 0.1s 0.1
hostname -x
hostname --foo
hostname --a
hostname --f
hostname -V
hostname --vers=1
hostname -F
hostname -s a b
