#!/usr/bin/perl
# Writes the small country databases the geo tests read, in the MaxMind DB format, with MaxMind's
# own writer (Debian: apt-get install libmaxmind-db-writer-perl; there is none for Java). Run from
# this directory; the files are committed, so the tests need neither Perl nor the network.
#   perl make-test-databases.pl
# Networks are documentation and public ranges with made-up countries: test data, not geography.
use strict;
use warnings;
use MaxMind::DB::Writer::Tree;

my %types = (
    country            => 'map',
    registered_country => 'map',
    city               => 'map',
    names              => 'map',
    en                 => 'utf8_string',
    iso_code           => 'utf8_string',
    country_code       => 'utf8_string',
);

sub tree {
    my ($type) = @_;
    return MaxMind::DB::Writer::Tree->new(
        ip_version               => 6,
        record_size              => 24,
        database_type            => $type,
        languages                => ['en'],
        description              => { en => 'o7tracker test data' },
        map_key_type_callback    => sub { $types{ $_[0] } },
        remove_reserved_networks => 0,
        alias_ipv6_to_ipv4       => 1,
    );
}

sub write_file {
    my ($tree, $file) = @_;
    open my $fh, '>:raw', $file or die "$file: $!";
    $tree->write_tree($fh);
    close $fh;
}

# GeoLite2/GeoIP2-Country: country.iso_code, else registered_country.iso_code.
my $country = tree('GeoLite2-Country');
$country->insert_network('81.2.69.0/24', { country => { iso_code => 'GB' }, registered_country => { iso_code => 'GB' } });
$country->insert_network('89.160.20.0/24', { country => { iso_code => 'SE' }, registered_country => { iso_code => 'SE' } });
$country->insert_network('2.125.160.0/19', { registered_country => { iso_code => 'DE' } });
$country->insert_network('2a02:cf40::/29', { country => { iso_code => 'NO' }, registered_country => { iso_code => 'NO' } });
$country->insert_network('203.0.113.0/24', { country => { iso_code => 'not-a-code' } });
write_file($country, 'country-geolite2.mmdb');

# A second edition of it: what an operator moves into place while the service runs.
my $next = tree('GeoLite2-Country');
$next->insert_network('81.2.69.0/24', { country => { iso_code => 'IE' }, registered_country => { iso_code => 'IE' } });
write_file($next, 'country-geolite2-next.mmdb');

# GeoLite2-City: the same fields beside a city's.
my $city = tree('GeoLite2-City');
$city->insert_network('81.2.69.0/24', { city => { names => { en => 'London' } }, country => { iso_code => 'GB' },
    registered_country => { iso_code => 'GB' } });
write_file($city, 'city-geolite2.mmdb');

# The ip-location-db country files: a top-level country_code.
my $iplocation = tree('ip-location-db country');
$iplocation->insert_network('81.2.69.0/24', { country_code => 'FR' });
$iplocation->insert_network('2a02:cf40::/29', { country_code => 'JP' });
write_file($iplocation, 'country-ip-location-db.mmdb');
