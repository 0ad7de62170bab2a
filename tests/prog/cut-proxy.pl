#!/usr/bin/perl
# cut-proxy.pl - a TCP proxy whose connections a test cuts, as a network
# blip does, in core Perl only.
#
#   tests/prog/cut-proxy.pl DIR SERVER-PORT
#
# Listens on 127.0.0.1 at a free port, written to DIR/port once it listens,
# and forwards each connection to 127.0.0.1:SERVER-PORT, bytes as they
# come.  SIGUSR1 cuts: every connection is closed on both sides at once,
# and connections accepted from then on are closed as soon as they come,
# until SIGUSR2 lets them through again.  DIR/cuts counts the cuts done,
# DIR/refused the connections closed while cut.
use strict;
use warnings;
use IO::Select;
use IO::Socket::INET;

my ($dir, $server_port) = @ARGV;
die "usage: $0 DIR SERVER-PORT\n" unless defined $server_port;

my $lsn = IO::Socket::INET->new(
	Listen => 16, LocalAddr => '127.0.0.1', LocalPort => 0,
	ReuseAddr => 1, Proto => 'tcp') or die "listen: $!\n";
open(my $pf, '>', "$dir/port.tmp") or die "$dir/port.tmp: $!\n";
print $pf $lsn->sockport, "\n";
close($pf);
rename("$dir/port.tmp", "$dir/port") or die "rename: $!\n";

my ($cut_asked, $pass_asked, $holding, $cuts, $refused) = (0, 0, 0, 0, 0);
$SIG{USR1} = sub { $cut_asked = 1 };
$SIG{USR2} = sub { $pass_asked = 1 };

my $sel = IO::Select->new($lsn);
my %peer;    # socket -> the socket on the other side

sub write_count {
	my ($name, $n) = @_;
	open(my $f, '>', "$dir/$name.tmp") or die "$dir/$name.tmp: $!\n";
	print $f "$n\n";
	close($f);
	rename("$dir/$name.tmp", "$dir/$name") or die "rename: $!\n";
}

sub drop {
	my ($s) = @_;
	my $o = delete $peer{$s};
	for my $x ($s, $o) {
		next unless defined $x;
		delete $peer{$x};
		$sel->remove($x);
		close($x);
	}
}

for (;;) {
	if ($cut_asked) {
		$cut_asked = 0;
		$holding = 1;
		drop($_) for grep { $_ != $lsn } $sel->handles;
		write_count('cuts', ++$cuts);
	}
	if ($pass_asked) {
		$pass_asked = 0;
		$holding = 0;
	}
	# A signal ends the wait early: the flags are looked at again.
	my @ready = $sel->can_read(0.2);
	for my $s (@ready) {
		if ($s == $lsn) {
			my $c = $lsn->accept or next;
			if ($holding) {
				close($c);
				write_count('refused', ++$refused);
				next;
			}
			my $u = IO::Socket::INET->new(
				PeerAddr => '127.0.0.1', PeerPort => $server_port,
				Proto => 'tcp');
			unless ($u) {
				close($c);
				next;
			}
			$peer{$c} = $u;
			$peer{$u} = $c;
			$sel->add($c, $u);
			next;
		}
		next unless exists $peer{$s};
		my $buf;
		my $n = sysread($s, $buf, 65536);
		if (!$n) {
			drop($s);
			next;
		}
		my $o = $peer{$s};
		my $off = 0;
		while ($off < $n) {
			my $w = syswrite($o, $buf, $n - $off, $off);
			if (!defined $w) {
				drop($s);
				last;
			}
			$off += $w;
		}
	}
}
