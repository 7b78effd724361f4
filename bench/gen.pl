# bench/gen.pl: the two halves of bench/gen, which says what the store gets and why.
#
#   perl gen.pl PATHS CASUS-YAML   (GEN_N, GEN_TODAY, GEN_ADMIN in the environment)
#       one line per commit: "SECONDS<TAB>SEQ<TAB>PAYLOAD", in no order; sorted by time, they
#       are the history. PAYLOAD is author name, address, message, then path and content of
#       each file, separated by \x1f, every newline written as \x1e.
#   perl gen.pl --emit
#       the sorted lines on stdin as a git fast-import stream on stdout.
use strict;
use Digest::SHA qw(sha256);
use MIME::Base64 qw(encode_base64);
use File::Temp qw(tempfile);

if (@ARGV && $ARGV[0] eq '--emit') {
	emit();
	exit 0;
}

my ($pathsf, $casusf) = @ARGV;
my $N = $ENV{GEN_N};
my ($admin_name, $admin_email) = $ENV{GEN_ADMIN} =~ /^(.*) <(.*)>$/ or die "gen: GEN_ADMIN\n";

# Dates as day numbers since 1970-01-01 (proleptic Gregorian), as lib/date.c counts them.
sub days {
	my ($y, $m, $d) = @_;
	$y -= $m <= 2;
	my $era = int(($y >= 0 ? $y : $y - 399) / 400);
	my $yoe = $y - $era * 400;
	my $doy = int((153 * ($m + ($m > 2 ? -3 : 9)) + 2) / 5) + $d - 1;
	my $doe = $yoe * 365 + int($yoe / 4) - int($yoe / 100) + $doy;
	return $era * 146097 + $doe - 719468;
}
sub ymd {
	my $z = $_[0] + 719468;
	my $era = int(($z >= 0 ? $z : $z - 146096) / 146097);
	my $doe = $z - $era * 146097;
	my $yoe = int(($doe - int($doe / 1460) + int($doe / 36524) - int($doe / 146096)) / 365);
	my $doy = $doe - (365 * $yoe + int($yoe / 4) - int($yoe / 100));
	my $mp = int((5 * $doy + 2) / 153);
	my $d = $doy - int((153 * $mp + 2) / 5) + 1;
	my $m = $mp + ($mp < 10 ? 3 : -9);
	return ($yoe + $era * 400 + ($m <= 2), $m, $d);
}
sub fmt { sprintf "%04d-%02d-%02d", ymd($_[0]) }
sub parse { my @p = split /-/, $_[0]; days(@p) }
# Month arithmetic clamps to the end of the month (DESIGN.md, "Dates").
sub add_months {
	my ($day, $k) = @_;
	my ($y, $m, $d) = ymd($day);
	my $t = $y * 12 + $m - 1 + $k;
	($y, $m) = (int($t / 12), $t % 12 + 1);
	my $last = days($m == 12 ? ($y + 1, 1, 1) : ($y, $m + 1, 1)) - days($y, $m, 1);
	return days($y, $m, $d > $last ? $last : $d);
}

srand(13);
sub rnd { int(rand($_[0])) }
sub pick { $_[rnd(scalar @_)] }
sub chance { rand() < $_[0] }
sub hex6 { sprintf "%06x", rnd(0x1000000) }

my $today = parse($ENV{GEN_TODAY});
my $seq = 0;

# out DAY, NAME, EMAIL, MESSAGE, PATH, CONTENT...: one commit, at a time of day of DAY.
sub out {
	my ($ts, $name, $email, $msg, @files) = @_;
	my $p = join "\x1f", $name, $email, $msg, @files;
	$p =~ tr/\n/\x1e/;
	print $ts, "\t", $seq++, "\t", $p, "\n";
}

# --- The members: six institutions, two members of each core partner in each. ---
my @partners = qw(dg-epi justitiehuizen welzijn);    # as the words sort, as plans list them
my %label = ("dg-epi" => "EPI", welzijn => "Welzijn", justitiehuizen => "Justitiehuizen");
my %role = ("dg-epi" => "psychosocial service", welzijn => "consultant",
    justitiehuizen => "justice assistant");
my %maildom = ("dg-epi" => "epi", welzijn => "welzijn", justitiehuizen => "jh");
my @inst = qw(Brugge Gent Hasselt Antwerpen Leuven Haren);
my @weight = (25, 20, 15, 20, 10, 10);
my (%members, @all);    # $members{$inst}{$partner} = [[name, email], ...]
my $since = days(2019, 6, 1);

# A member's public key: Ed25519 from a seed of their address, by openssl, as an OpenSSH line.
sub pubkey {
	my ($email) = @_;
	my $der = pack("H*", "302e020100300506032b657004220420") . sha256("bench/gen $email");
	my ($fh, $file) = tempfile(UNLINK => 1);
	binmode $fh;
	print $fh $der;
	close $fh;
	my $pub = `openssl pkey -inform DER -in '$file' -pubout -outform DER`;
	die "gen: openssl cannot derive a key\n" if $? || length($pub) < 32;
	my $blob = pack("N", 11) . "ssh-ed25519" . pack("N", 32) . substr($pub, -32);
	return "ssh-ed25519 " . encode_base64($blob, "") . " $email";
}

my $casus = do { local (@ARGV, $/) = $casusf; <> };
# Who adds a member (casus(7), AUTHORITY): a member of their partner; the administrator only the
# first of a partner that has none. The members the store has already count.
my %adder;
{
	my ($e, $nm);
	for (split /\n/, $casus) {
		($e) = /^- email: (.*)$/ if /^- email: /;
		($nm) = /^  name: (.*)$/ if /^  name: /;
		$adder{$1} //= [$nm, $e] if /^  partner: (.*)$/;
	}
}
my $ts = $since * 86400 + 9 * 3600;
for my $i (@inst) {
	for my $p (@partners) {
		for my $k (1, 2) {
			my $email = sprintf "%s.%s%d\@%s.example", lc $i, $maildom{$p}, $k, $maildom{$p};
			my $name = "$i $label{$p} $k";
			push @{$members{$i}{$p}}, [$name, $email];
			$casus .= "- email: $email\n  name: $name\n  partner: $p\n  role: $role{$p}\n" .
			    "  active: true\n  since: '" . fmt($since) . "'\n  keys:\n" .
			    "  - key: " . pubkey($email) . "\n    since: '" . fmt($since) . "'\n";
			my ($an, $ae) = $adder{$p} ? @{$adder{$p}} : ($admin_name, $admin_email);
			$adder{$p} //= [$name, $email];
			out($ts += 60, $an, $ae,
			    "member-add: register team member\n\nMember: $email\nPartner: $p\nProgram: member-add\n",
			    "casus.yaml", $casus);
		}
	}
}

# --- The cases. ---
my @domains = qw(psychosocial education_employment mental_health social_context alternative_discourse);
my @reasons = ("on leave", "in court", "ill", "another consultation");
my $first = days(2019, 7, 1);
open my $paths, '<', $pathsf or die "gen: $pathsf: $!\n";

sub plan_yaml {
	my ($c) = @_;
	my $y = "case_id: $c->{id}\ninstitution: $c->{inst}\nstatus: $c->{status}\n";
	$y .= "refusals:\n- since: '" . fmt($c->{refused}) . "'\n" if defined $c->{refused};
	$y .= "dates:\n  detention_start: '" . fmt($c->{start}) . "'\n";
	if ($c->{dated}) {
		$y .= "  $_->[0]: '" . fmt($c->{$_->[1]}) . "'\n"
		    for ["leave_eligible", "leave"], ["release_eligible", "release"], ["sentence_end", "end"];
	}
	$y .= "aims:\n" . join("", map { "- $_\n" } @{$c->{aims}}) if @{$c->{aims}};
	$y .= "team:\n";
	for my $p (@partners) {
		$y .= "  $p:\n  - $c->{team}{$p}[1]\n" if $c->{team}{$p};
	}
	$y .= "domains:\n";
	for my $d (@domains) {
		my ($s, $o) = @{$c->{dom}{$d}};
		$y .= "  $d:\n    status: $s\n";
		$y .= "    owner: $o\n" if $o;
	}
	return $y;
}

for my $n (1 .. $N) {
	my $path = <$paths>;
	chomp $path;
	(my $id = $path) =~ s{.*/}{};
	my $w = rnd(100);
	my $ii = 0;
	$w -= $weight[$ii++] while $w >= $weight[$ii];
	my $inst = $inst[$ii];
	my %c = (id => $id, inst => $inst, status => "open", aims => [], dated => 1);
	for my $p (@partners) {
		next if $p eq "justitiehuizen" && chance(0.1);
		$c{team}{$p} = pick(@{$members{$inst}{$p}});
	}
	$c{dom}{$_} = ["to-assess"] for @domains;
	my $start = $c{start} = $first + rnd($today - 20 - $first);
	$c{leave} = $start + 300 + rnd(5 * 365);
	$c{release} = $c{leave} + 100 + rnd(900);
	$c{end} = $c{release} + 180 + rnd(1100);
	my $pre = add_months($c{leave}, -3);    # pre_leave_lead 3m, casus.yaml's default
	my ($wfirst, $wlast) = ($pre - 14, $pre + 14 < $c{leave} ? $pre + 14 : $c{leave} - 1);
	my $opened = $start + rnd(15);
	my $last = $today;    # the last day anything happens in the case
	my $closed;
	if ($c{release} < $today - 30 && chance(0.75)) {
		$closed = $c{release} + rnd(60);
		$closed = $today if $closed > $today;
		$last = $closed - 1;
	}
	my @ev;    # [day, order, sub { ... } returning (author, message, files...)]
	my $ev = sub { push @ev, [@_] if $_[0] <= $last || $_[1] == 99 };
	my $dg = $c{team}{"dg-epi"};
	my $wz = $c{team}{welzijn};
	my $msg = sub { "$_[0]: $_[1] $id\n\nCase-Id: $id\n" . ($_[2] // "") . "Program: $_[0]\n" };
	my $plan = sub { my ($who, $m) = @_; ($who, $msg->("plan-edit", $m // "edit plan"), "$path/plan.yaml", plan_yaml(\%c)) };

	# plan-new; the registry's dates now, or (one case in five) given later by plan-edit.
	$c{dated} = !chance(0.2);
	$ev->($opened, 0, sub { ($dg, $msg->("plan-new", "open case"), "$path/plan.yaml", plan_yaml(\%c)) });
	$ev->($opened + 30 + rnd(170), 1, sub { $c{dated} = 1; $plan->($dg) }) unless $c{dated};
	# The prison's partner assesses its domains, the welfare services theirs.
	$ev->($opened + 14 + rnd(46), 2, sub {
		$c{dom}{psychosocial} = [pick("planned", "in-progress"), "dg-epi"];
		my $r = rand;
		$c{dom}{mental_health} = $r < 0.5 ? ["planned", "dg-epi"] : $r < 0.8 ? ["no-need", "dg-epi"] : ["to-assess"];
		$c{aims} = [grep { chance(0.5) } qw(identity future disengagement restoration reintegration)] if chance(0.6);
		$plan->($dg);
	});
	$ev->($opened + 20 + rnd(70), 3, sub {
		$c{dom}{education_employment} = ["planned", "welzijn"];
		$c{dom}{social_context} = [pick("planned", "in-progress"), "welzijn"];
		my $r = rand;
		$c{dom}{alternative_discourse} = $r < 0.4 ? ["planned", "welzijn"] : $r < 0.8 ? ["no-need", "welzijn"] : ["to-assess"];
		$plan->($wz);
	});
	# Later, each partner moves its own domains on.
	for my $who ([$dg, "dg-epi"], [$wz, "welzijn"]) {
		next unless chance(0.15);
		$ev->($opened + 120 + rnd(600), 4, sub {
			for my $d (@domains) {
				my $x = $c{dom}{$d};
				next unless ($x->[1] // "") eq $who->[1];
				$x->[0] = "in-progress" if $x->[0] eq "planned" && chance(0.7);
				$x->[0] = "completed" if $x->[0] eq "in-progress" && chance(0.4);
			}
			$plan->($who->[0]);
		});
	}
	if (chance(0.03)) {
		my $d = $opened + 5 + rnd(60);
		$ev->($d, 5, sub { $c{refused} = $d; $plan->($dg, "record refusal of plan") });
	}

	# consent-record: a consent most detainees give, a refusal some, a withdrawal a few.
	my ($cons, $cons_date, $cons_from, $cons_to, $cons_cats, $cons_until, $cons_end, $cons_informed);
	my $told = sub {
		my ($who, $informed) = @_;
		my $how = pick(("written") x 16, ("oral") x 3, "interpreter");
		return "how: $how\n" . ($_[2] // "") . "informed: " . ($informed ? "true" : "false") .
		    "\ntold: consent-leaflet\nlanguage: " . pick(qw(nl nl nl nl fr fr ar en)) . "\n";
	};
	if (chance(0.85)) {
		my $d = $opened + 10 + rnd(110);
		my $who = chance(0.7) ? $wz : $dg;
		$cons = sprintf "c-%s-%s", join("", split /-/, fmt($d)), hex6();
		$cons_date = $d;
		$cons_from = [grep { $c{team}{$_} && $_ ne "justitiehuizen" } @partners];
		$cons_to = [grep { $c{team}{$_} } @partners];
		$cons_cats = ["psychosocial", "detention", grep { chance(0.4) } qw(education_employment social_context)];
		$cons_until = chance(0.4) ? $c{end} : undef;
		$cons_informed = !chance(0.05);
		$cons_end = $cons_until ? $cons_until + 1 : 1e9;
		my $rec = $d + (chance(0.8) ? 0 : 1 + rnd(3));
		my $body = "id: $cons\ncase_id: $id\nkind: consent\ndate: '" . fmt($d) . "'\nrecorded: '" .
		    fmt($rec) . "'\nrecorded_by: $who->[1]\n" .
		    $told->($who, $cons_informed, chance(0.7) ? sprintf("evidence: FORM-%04d-%04d\n", (ymd($d))[0], rnd(10000)) : "") .
		    "from:\n" . join("", map { "- $_\n" } @$cons_from) . "to:\n" . join("", map { "- $_\n" } @$cons_to) .
		    "categories:\n" . join("", map { "- $_\n" } @$cons_cats) . "purpose: casusoverleg\n" .
		    ($cons_until ? "until: '" . fmt($cons_until) . "'\n" : "");
		my $cid = $cons;
		$ev->($rec, 6, sub { ($who, $msg->("consent-record", "record consent", "Record-Id: $cid\n"), "$path/consent/$cid.yaml", $body) });
		if (chance(0.08)) {
			my $wd = $d + 60 + rnd(640);
			my $wid = sprintf "w-%s-%s", join("", split /-/, fmt($wd)), hex6();
			my $ww = pick($dg, $wz);
			$cons_end = $wd if $wd <= $last;
			$ev->($wd, 7, sub {
				($ww, $msg->("consent-record", "record withdrawal", "Record-Id: $wid\nWithdraws: $cid\n"),
				    "$path/consent/$wid.yaml", "id: $wid\ncase_id: $id\nkind: withdrawal\ndate: '" . fmt($wd) .
				    "'\nrecorded: '" . fmt($wd) . "'\nrecorded_by: $ww->[1]\nwithdraws: $cid\n");
			});
		}
	}
	if (chance(0.15)) {
		my $d = $opened + 10 + rnd(200);
		my $rid = sprintf "r-%s-%s", join("", split /-/, fmt($d)), hex6();
		my $body = "id: $rid\ncase_id: $id\nkind: refusal\ndate: '" . fmt($d) . "'\nrecorded: '" . fmt($d) .
		    "'\nrecorded_by: $wz->[1]\n" . $told->($wz, 0) . "from:\n- welzijn\nto:\n- dg-epi\n" .
		    "categories:\n- mental_health\npurpose: casusoverleg\n";
		$ev->($d, 6, sub { ($wz, $msg->("consent-record", "record refusal", "Record-Id: $rid\n"), "$path/consent/$rid.yaml", $body) });
	}

	# overleg-record: the last one to three consultations held, six weeks or so apart, and the
	# pre-leave one once its window has come; overleg-schedule --commit plans the next.
	my @held;
	my $d = $last - rnd(50);
	for (1 .. 1 + rnd(3)) {
		last if $d < $start + 14;
		# A periodic one outside the pre-leave window (at most 29 days), where overleg-record
		# would have called it the pre-leave one.
		$d -= 30 if $d >= $wfirst && $d <= $wlast;
		unshift @held, [$d, "periodic"] if $d >= $start + 14;
		$d -= 35 + rnd(22);
	}
	if ($c{dated} && $wlast <= $last && $wfirst >= $start + 14 && chance(0.85)) {
		@held = sort { $a->[0] <=> $b->[0] } @held, [$wfirst + rnd($wlast - $wfirst + 1), "pre-leave"];
		@held = grep { $_->[1] eq "pre-leave" || $_->[0] < $wfirst || $_->[0] > $wlast } @held;
		my %seen;
		@held = grep { !$seen{$_->[0]}++ } @held;
	}
	for my $h (@held) {
		my ($hd, $kind) = @$h;
		my @team = grep { $c{team}{$_} } @partners;
		my @absent;
		if (@team > 1 && $kind eq "periodic" && chance(0.2)) {
			@absent = (pick(grep { $_ ne "dg-epi" } @team));
			@team = grep { $_ ne $absent[0] } @team;
		}
		my $who = $c{team}{pick(@team)};
		my $y = "case_id: $id\ndate: '" . fmt($hd) . "'\nkind: $kind\nstatus: held\npresent:\n" .
		    join("", map { "- partner: $_\n  member: $c{team}{$_}[1]\n" } @team);
		$y .= "absent:\n" . join("", map { "- partner: $_\n  reason: " . pick(@reasons) . "\n" } @absent) if @absent;
		$y .= "decision:\n  consensus: true\n";
		# What was shared, under the consent of the day (never on the day it ends).
		if ($cons && $cons_informed && chance(0.6)) {
			my $cat = pick(@$cons_cats);
			my $from = pick(@$cons_from);
			my @to = grep { $_ ne $from } @$cons_to;
			my $cd = $cons_date;
			$y .= "shared:\n- category: $cat\n  from: $from\n  to:\n" . join("", map { "  - $_\n" } @to) .
			    "  covered_by:\n" . join("", map { "    $_: $cons\n" } @to)
			    if @to && $hd >= $cd + 4 && $hd < $cons_end;
		}
		$y .= "recorded_by: $who->[1]\n";
		my $date = fmt($hd);
		$ev->($hd, 8, sub { ($who, $msg->("overleg-record", "record consultation", "Overleg-Date: $date\n"), "$path/overleg/$date.yaml", $y) });
	}
	if (!defined $closed && chance(0.35)) {
		my $base = @held ? $held[-1][0] : $start;
		my $sd = $base + 1 + rnd(10);
		$sd = $today if $sd > $today;
		my @files;
		for (my $p = $base + 42; $p <= $sd + 90 && @files < 4; $p += 42) {
			push @files, "$path/overleg/" . fmt($p) . ".yaml",
			    "case_id: $id\ndate: '" . fmt($p) . "'\nkind: " . ($p == $pre && $c{dated} ? "pre-leave" : "periodic") . "\nstatus: planned\n";
		}
		$ev->($sd, 9, sub { (pick($dg, $wz), "overleg-schedule: plan consultations\n\nCase-Id: $id\nProgram: overleg-schedule\n", @files) })
		    if @files;
	}
	# The plan closed after release, by the prison's partner.
	$ev->($closed, 99, sub { $c{status} = "closed"; $plan->($dg) }) if defined $closed;

	# In the order of their days; each commit of a case after the one before.
	my $t = 0;
	for my $e (sort { $a->[0] <=> $b->[0] || $a->[1] <=> $b->[1] } @ev) {
		my ($who, $m, @files) = $e->[2]->();
		my $s = $e->[0] * 86400 + 8 * 3600 + rnd(9 * 3600);
		$t = $s > $t ? $s : $t + 1;
		out($t, $who->[0], $who->[1], $m, @files);
	}
}

sub emit {
	my $from = "from refs/heads/main^0\n";
	while (my $l = <STDIN>) {
		chomp $l;
		my ($t, undef, $p) = split /\t/, $l, 3;
		$p =~ tr/\x1e/\n/;
		my ($name, $email, $msg, @files) = split /\x1f/, $p, -1;
		print "commit refs/heads/main\nauthor $name <$email> $t +0000\ncommitter $name <$email> $t +0000\n",
		    "data ", length($msg), "\n", $msg, $from;
		$from = "";
		while (my ($path, $body) = splice @files, 0, 2) {
			print "M 100644 inline $path\ndata ", length($body), "\n", $body, "\n";
		}
		print "\n";
	}
}
