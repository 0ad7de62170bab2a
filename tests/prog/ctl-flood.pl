#!/usr/bin/perl
# ctl-flood.pl SOCKET N: writes N emit requests to a control socket before
# reading any reply, then reads replies for up to 10 s of silence; prints
# how many arrived.  A producer that pipelines everything must get every
# reply.
use strict;
use warnings;
use IO::Socket::UNIX;
use IO::Select;

my ($path, $n) = @ARGV;
my $s = IO::Socket::UNIX->new(Peer => $path) or die "connect $path: $!\n";
my $req = '{"op":"emit","room":"none","event":"chat","data":{"n":1}}' . "\n";
my $pending = $req x $n;
my ($got, $buf) = (0, '');
my $sel = IO::Select->new($s);
# Write everything first; read only when the hub stops taking requests,
# as a naive producer does.
while (length $pending) {
	my $w = syswrite($s, $pending, 65536);
	die "write: $!\n" unless defined $w;
	substr($pending, 0, $w) = '';
}
while ($got < $n && $sel->can_read(10)) {
	my $k = sysread($s, $buf, 65536, length $buf) or last;
	$got += () = $buf =~ /\n/g;
	$buf =~ s/.*\n//s;
}
print "$got\n";
