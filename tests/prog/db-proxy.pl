#!/usr/bin/perl
# db-proxy.pl - a TCP proxy in front of a MySQL or MariaDB server that
# loses the connection at COMMIT, for geoput's tests, in core Perl only.
#
#   tests/prog/db-proxy.pl DIR SERVER-PORT MODE [AFTER]
#
# Listens on 127.0.0.1 at a free port, written to DIR/port once it listens,
# and forwards each connection to 127.0.0.1:SERVER-PORT, reading the
# client's side as MySQL packets.  The first COM_QUERY "COMMIT" it sees:
#
#   MODE forward   goes to the server, then both connections are closed:
#                  the server commits, the client never hears so
#   MODE swallow   is dropped, and both connections are closed: the server
#                  rolls back
#
# and then AFTER says what becomes of the proxy:
#
#   pass           later connections are forwarded as before (the default)
#   refuse         the proxy stops listening: nobody can connect again
#
# DIR/dropped is written once the connection is dropped.  TLS is not
# understood: the client must not ask for it.
use strict;
use warnings;
use IO::Select;
use IO::Socket::INET;

my ($dir, $server_port, $mode, $after) = @ARGV;
die "usage: $0 DIR SERVER-PORT forward|swallow [pass|refuse]\n"
    unless defined $mode && $mode =~ /^(forward|swallow)$/;
$after //= 'pass';
die "$0: AFTER is pass or refuse\n" unless $after =~ /^(pass|refuse)$/;

my $lsn = IO::Socket::INET->new(
	Listen => 16, LocalAddr => '127.0.0.1', LocalPort => 0,
	ReuseAddr => 1, Proto => 'tcp') or die "listen: $!\n";
open(my $pf, '>', "$dir/port.tmp") or die "$dir/port.tmp: $!\n";
print $pf $lsn->sockport, "\n";
close($pf);
rename("$dir/port.tmp", "$dir/port") or die "rename: $!\n";
$SIG{TERM} = sub { exit 0 };
$SIG{PIPE} = 'IGNORE';

my $sel = IO::Select->new($lsn);
my (%peer, %is_client, %pending);
my $fired = 0;

sub write_all {
	my ($s, $data) = @_;
	while (length $data) {
		my $n = syswrite($s, $data);
		return unless defined $n;
		substr($data, 0, $n, '');
	}
}

sub drop_pair {
	my ($s) = @_;
	my $p = delete $peer{$s};
	for my $x ($s, $p) {
		next unless defined $x;
		$sel->remove($x);
		delete $peer{$x};
		delete $is_client{$x};
		delete $pending{$x};
		close($x);
	}
}

# The client's bytes, passed on packet by packet until the COMMIT.
sub from_client {
	my ($c, $data) = @_;
	my $u = $peer{$c};

	$pending{$c} .= $data;
	while (length($pending{$c}) >= 4) {
		my $len = unpack('V', substr($pending{$c}, 0, 3) . "\0");
		last if length($pending{$c}) < 4 + $len;
		my $pkt = substr($pending{$c}, 0, 4 + $len, '');
		if (!$fired && substr($pkt, 4, 1) eq "\x03" &&
		    substr($pkt, 5) =~ /^\s*COMMIT\b/i) {
			$fired = 1;
			write_all($u, $pkt) if $mode eq 'forward';
			drop_pair($c);
			if ($after eq 'refuse') {
				$sel->remove($lsn);
				close($lsn);
				undef $lsn;
			}
			if (open(my $f, '>', "$dir/dropped")) {
				close($f);
			}
			return;
		}
		write_all($u, $pkt);
	}
}

while (1) {
	for my $s ($sel->can_read) {
		if (defined $lsn && $s == $lsn) {
			my $c = $lsn->accept or next;
			my $u = IO::Socket::INET->new(PeerAddr => '127.0.0.1',
			    PeerPort => $server_port, Proto => 'tcp');
			if (!$u) {
				close($c);
				next;
			}
			$peer{$c} = $u;
			$peer{$u} = $c;
			$is_client{$c} = 1;
			$pending{$c} = '';
			$sel->add($c, $u);
			next;
		}
		next unless exists $peer{$s};
		my $n = sysread($s, my $data, 65536);
		if (!$n) {
			drop_pair($s);
		} elsif ($is_client{$s} && !$fired) {
			from_client($s, $data);
		} else {
			write_all($peer{$s}, $data);
		}
	}
}
