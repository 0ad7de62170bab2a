#!/usr/bin/perl
# ctl-line.pl SOCKET LENGTH: sends one stats request padded with spaces to
# LENGTH bytes, then its newline, in one write; prints the hub's one-line
# reply and "closed" when the hub then closed the connection, else "open".
use strict;
use warnings;
use IO::Socket::UNIX;
use IO::Select;

my ($path, $len) = @ARGV;
my $s = IO::Socket::UNIX->new(Peer => $path) or die "connect $path: $!\n";
my $req = '{"op":"stats"}';
my $line = $req . (' ' x ($len - length $req)) . "\n";
while (length $line) {
	my $w = syswrite($s, $line);
	die "write: $!\n" unless defined $w;
	substr($line, 0, $w) = '';
}
my $sel = IO::Select->new($s);
my $buf = '';
while ($buf !~ /\n/ && $sel->can_read(10)) {
	sysread($s, $buf, 65536, length $buf) or last;
}
my ($reply) = $buf =~ /^(.*)\n/ or die "no reply\n";
# After a refused line the hub closes; after a good one it waits for more.
my $state = 'open';
if ($sel->can_read(2)) {
	$state = 'closed' if !sysread($s, my $more, 1);
}
print "$reply\n$state\n";
