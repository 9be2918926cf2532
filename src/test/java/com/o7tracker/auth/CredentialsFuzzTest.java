package com.o7tracker.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Fuzzes the reading of credentials from the headers a request offers (Authorization, X-Api-Key,
 * a key query parameter), against the rules the README states rather than a copy of the code:
 * nothing is no credentials; more than one place is refused; a key is taken only in its exact form
 * ({@code o7_} and 43 characters of URL-safe base64) and never shows in its toString; a Basic
 * header gives back the user name and password it encodes.
 */
class CredentialsFuzzTest {

    private static final Pattern KEY = Pattern.compile("o7_[A-Za-z0-9_-]{43}");

    @FuzzTest(maxDuration = "10s")
    void headersReadByTheirRules(FuzzedDataProvider data) {
        int shape = data.consumeInt(0, 7);
        String authorization = (shape & 1) != 0 ? data.consumeString(120) : null;
        String apiKey = (shape & 2) != 0 ? data.consumeString(80) : null;
        String query = (shape & 4) != 0 ? data.consumeString(80) : null;
        String user = data.consumeString(20);
        String password = data.consumeRemainingAsString();

        Credentials read = Credentials.read(authorization, apiKey, query);
        int given = Integer.bitCount(shape);
        if (given == 0) {
            assertThat(read).isInstanceOf(Credentials.None.class);
        } else if (given > 1) {
            assertThat(read).isInstanceOf(Credentials.Malformed.class);
        } else if (apiKey != null) {
            keyFollowsTheRule(apiKey.strip(), read);
        } else if (query != null) {
            keyFollowsTheRule(query, read);
        } else if (authorization.toLowerCase(Locale.ROOT).startsWith("bearer ")) {
            keyFollowsTheRule(authorization.substring(7).strip(), read);
        } else if (!authorization.toLowerCase(Locale.ROOT).startsWith("basic ")) {
            assertThat(read).as(authorization).isInstanceOf(Credentials.Malformed.class);
        } else if (read instanceof Credentials.Password given1) {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
            assertThat(given1.basic().getUsername() + ":" + given1.basic().getPassword()).isEqualTo(decoded);
        } else {
            assertThat(read).isInstanceOf(Credentials.Malformed.class);
        }

        // Any Basic header a client writes (a user name without a colon) reads back as sent.
        if (user.indexOf(':') < 0) {
            String header = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
            Credentials basic = Credentials.read(header, null, null);
            assertThat(basic).isInstanceOf(Credentials.Password.class);
            Credentials.Password p = (Credentials.Password) basic;
            // Unpaired surrogates do not survive UTF-8: compare what UTF-8 carries.
            assertThat(p.basic().getUsername()).isEqualTo(utf8(user));
            assertThat(p.basic().getPassword()).isEqualTo(utf8(password));
        }
        // Every key of the right form is read from either header, and from the query.
        String key = "o7_" + Base64.getUrlEncoder().withoutPadding().encodeToString(
                java.util.Arrays.copyOf(user.getBytes(StandardCharsets.UTF_8), 32));
        assertThat(Credentials.read("Bearer " + key, null, null)).isEqualTo(new Credentials.Key(key));
        assertThat(Credentials.read(null, key, null)).isEqualTo(new Credentials.Key(key));
        assertThat(Credentials.read(null, null, key)).isEqualTo(new Credentials.Key(key));
    }

    private static void keyFollowsTheRule(String sent, Credentials read) {
        if (KEY.matcher(sent).matches()) {
            assertThat(read).isEqualTo(new Credentials.Key(sent));
            assertThat(read.toString()).doesNotContain(sent.substring(3));
        } else {
            assertThat(read).as(sent).isInstanceOf(Credentials.Malformed.class);
        }
    }

    private static String utf8(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }
}
