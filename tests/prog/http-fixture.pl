#!/usr/bin/perl
# http-fixture.pl - a small HTTP server for geoput's --url tests, in core
# Perl only (a fresh Debian has it).
#
#   tests/prog/http-fixture.pl DIR
#
# Listens on 127.0.0.1 at a free port, written to DIR/port once it listens;
# serves each connection in a child process; appends each request line to
# DIR/requests.log.  Paths:
#
#   /NAME                200 with the file DIR/NAME (404 if there is none)
#   /status/NNN          status NNN, a short body
#   /flaky/N/NAME        500 to the first N requests, then /NAME
#   /redirect/NAME       302 to /NAME
#   /slow                never answers; ends when the client hangs up
#   /big/N               200 with a JSON string of N bytes
#
# A request through a proxy ("GET http://host/PATH") is served as /PATH.
use strict;
use warnings;
use Fcntl qw(:flock);
use IO::Socket::INET;

my $dir = shift or die "usage: $0 DIR\n";
my $srv = IO::Socket::INET->new(
	Listen => 16, LocalAddr => '127.0.0.1', LocalPort => 0,
	ReuseAddr => 1, Proto => 'tcp') or die "listen: $!\n";
open(my $pf, '>', "$dir/port.tmp") or die "$dir/port.tmp: $!\n";
print $pf $srv->sockport, "\n";
close($pf);
rename("$dir/port.tmp", "$dir/port") or die "rename: $!\n";
$SIG{CHLD} = 'IGNORE';
$SIG{TERM} = sub { exit 0 };

while (1) {
	my $c = $srv->accept or next;
	my $pid = fork();
	if (!defined $pid || $pid) {
		close($c);
		next;
	}
	close($srv);
	serve($c);
	exit 0;
}

sub logline {
	my ($line) = @_;
	open(my $f, '>>', "$dir/requests.log") or return;
	flock($f, LOCK_EX);
	print $f "$line\n";
	close($f);
}

# Counts the requests to one flaky path; returns the count before this one.
sub bump {
	my ($name) = @_;
	open(my $f, '+>>', "$dir/count.$name") or die "count: $!\n";
	flock($f, LOCK_EX);
	seek($f, 0, 0);
	my $n = <$f> // 0;
	chomp $n;
	truncate($f, 0);
	print $f $n + 1, "\n";
	close($f);
	return $n;
}

sub reply {
	my ($c, $status, $body, @headers) = @_;
	my %reason = (200 => 'OK', 302 => 'Found', 401 => 'Unauthorized',
	    404 => 'Not Found', 500 => 'Internal Server Error',
	    503 => 'Service Unavailable');
	print $c "HTTP/1.1 $status ", $reason{$status} // 'Status', "\r\n",
	    "Content-Type: application/json\r\n",
	    "Content-Length: ", length($body), "\r\n",
	    "Connection: close\r\n", map({ "$_\r\n" } @headers), "\r\n", $body;
}

sub file_reply {
	my ($c, $name) = @_;
	if ($name =~ m{^[\w.-]+$} && open(my $f, '<', "$dir/$name")) {
		local $/;
		my $body = <$f>;
		close($f);
		return reply($c, 200, $body);
	}
	reply($c, 404, "{\"error\":\"no $name\"}");
}

sub serve {
	my ($c) = @_;
	my $line = <$c> // return;
	$line =~ s/\r?\n$//;
	while (my $h = <$c>) {
		last if $h =~ /^\r?\n$/;
	}
	logline($line);
	my ($method, $target) = split(/ /, $line);
	$target =~ s{^http://[^/]+}{};
	my $path = $target;
	if ($path =~ m{^/status/(\d{3})$}) {
		reply($c, $1, "{\"status\":$1}");
	} elsif ($path =~ m{^/flaky/(\d+)/([\w.-]+)$}) {
		my ($fails, $name) = ($1, $2);
		if (bump($name) < $fails) {
			reply($c, 500, '{"error":"try again"}');
		} else {
			file_reply($c, $name);
		}
	} elsif ($path =~ m{^/redirect/([\w.-]+)$}) {
		reply($c, 302, '', "Location: /$1");
	} elsif ($path eq '/slow') {
		my $buf;
		1 while sysread($c, $buf, 4096);
	} elsif ($path =~ m{^/big/(\d+)$}) {
		reply($c, 200, '"' . ('x' x $1) . '"');
	} elsif ($path =~ m{^/([\w.-]+)$}) {
		file_reply($c, $1);
	} else {
		reply($c, 404, '{"error":"no such path"}');
	}
	close($c);
}
