#!/usr/bin/perl
# ws-hold.pl PORT N PATH: opens N WebSocket handshakes to 127.0.0.1:PORT one
# after another, prints the HTTP status each got (or "none" when nothing
# came back within 5 s), then "done", and keeps every upgraded connection
# open until it is killed.
use strict;
use warnings;
use IO::Socket::INET;
use IO::Select;

$| = 1;
my ($port, $n, $path) = @ARGV;
my @held;
for my $i (1 .. $n) {
	my $s = IO::Socket::INET->new(PeerAddr => '127.0.0.1',
	    PeerPort => $port, Proto => 'tcp', Timeout => 5);
	if (!$s) {
		print "none\n";
		next;
	}
	print $s "GET $path?EIO=4&transport=websocket HTTP/1.1\r\n" .
	    "Host: 127.0.0.1:$port\r\nUpgrade: websocket\r\n" .
	    "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n" .
	    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
	my ($buf, $sel) = ('', IO::Select->new($s));
	while ($buf !~ /\r\n/ && $sel->can_read(5)) {
		sysread($s, $buf, 4096, length $buf) or last;
	}
	my ($status) = $buf =~ m{^HTTP/1\.1 (\d+)};
	print defined $status ? "$status\n" : "none\n";
	push @held, $s if defined $status && $status == 101;
}
print "done\n";
exit 0 unless @held;
sleep 1 while 1;
