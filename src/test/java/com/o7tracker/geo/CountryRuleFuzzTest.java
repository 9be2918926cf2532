package com.o7tracker.geo;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.o7tracker.web.ClientAddress;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Fuzzes the country rule's inputs that visitors control (the edge header's value where no edge is
 * in front, X-Forwarded-For, the connection's address as a literal): no exception, a country is two
 * upper-case letters or ZZ, and X-Forwarded-For counts only from a trusted proxy.
 */
class CountryRuleFuzzTest {

    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
    private static final Pattern ASCII_PAIR = Pattern.compile("[A-Za-z]{2}");
    /** One appending proxy, trusted from 10.0.0.0/8; no database: the edge header alone tells. */
    private static final ClientAddress CLIENTS = new ClientAddress(1, List.of(ClientAddress.Range.parse("10.0.0.0/8")));

    @FuzzTest(maxDuration = "10s")
    void aCountryIsTwoLettersOrZzWhateverIsSent(FuzzedDataProvider data) {
        String header = data.consumeString(8);
        String remote = data.consumeString(60);
        String forwardedFor = data.consumeRemainingAsString();

        Countries edge = new Countries(Optional.of("X-Appengine-Country"), CLIENTS, Optional.empty());
        String country = edge.of(header, remote, List.of(forwardedFor));
        assertThat(country).matches(COUNTRY);
        // Two ASCII letters, by their own code points: ſ and ı upper-case to S and I, but are not.
        String told = header.trim();
        boolean fromTheEdge = ClientAddress.parse(remote).filter(CLIENTS::isTrustedProxy).isPresent();
        if (fromTheEdge && ASCII_PAIR.matcher(told).matches() && !told.equalsIgnoreCase("ZZ")
                && !told.equalsIgnoreCase("XX")) {
            assertThat(country).isEqualTo(told.toUpperCase(Locale.ROOT));
        } else {
            assertThat(country).isEqualTo(Countries.UNKNOWN);
        }

        // The address a lookup would use: a visitor's own X-Forwarded-For never moves it.
        if (ClientAddress.parse(remote).filter(a -> !CLIENTS.isTrustedProxy(a)).isPresent()) {
            assertThat(CLIENTS.of(remote, List.of(forwardedFor))).isEqualTo(CLIENTS.of(remote, List.of()));
        }
    }
}
