#!/usr/bin/perl
# ctl-fill.pl SOCKET: connects to a Unix-domain socket again and again,
# without blocking, until the kernel refuses because its listener's queue
# is full (EAGAIN); prints "full N" with the number of connections it
# holds (or "refused ERROR" when it stopped for another reason), then keeps
# them open until it is killed.
use strict;
use warnings;
use Errno qw(EAGAIN);
use Fcntl qw(F_GETFL F_SETFL O_NONBLOCK);
use Socket qw(AF_UNIX SOCK_STREAM pack_sockaddr_un);

$| = 1;
my $path = shift or die "usage: ctl-fill.pl SOCKET\n";
my $addr = pack_sockaddr_un($path);
my @held;
for (1 .. 10000) {
	socket(my $s, AF_UNIX, SOCK_STREAM, 0) or die "socket: $!\n";
	fcntl($s, F_SETFL, fcntl($s, F_GETFL, 0) | O_NONBLOCK)
	    or die "fcntl: $!\n";
	if (!connect($s, $addr)) {
		print $! == EAGAIN ? "full " . scalar(@held) . "\n" :
		    "refused $!\n";
		last;
	}
	push @held, $s;
}
sleep 1 while 1;
