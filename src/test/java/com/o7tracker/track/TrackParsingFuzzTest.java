package com.o7tracker.track;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.o7tracker.campaign.Platform;
import com.o7tracker.web.QueryString;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Fuzzes what the click path parses from the raw request before any lookup: the id in the path,
 * the {@code platform} query parameter and the platform name. Each is checked against the rule
 * the README states, not against a copy of the code.
 */
class TrackParsingFuzzTest {

    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,16}");
    /** README: ids are below 2^53. Issue 7 sends longer-looking ids to the fallback; either answer is taken here. */
    private static final long MAX_ISSUED_ID = (1L << 53) - 1;

    @FuzzTest(maxDuration = "15s")
    void pathQueryAndPlatformParseByTheirRules(FuzzedDataProvider data) {
        String rest = data.consumeString(40);
        String value = data.consumeString(40);
        String prefix = data.consumeString(60);
        String suffix = data.consumeRemainingAsString();

        idFollowsTheRule(rest);
        assertThat(TrackHandler.parseId("/track")).isEqualTo(TrackHandler.NOT_A_LINK);

        // Any query: never throws; a value only when a parameter named platform is there.
        for (String query : new String[] {rest, value, prefix, suffix, prefix + "&" + suffix}) {
            String found = QueryString.value(query, "platform");
            if (found != null) {
                assertThat(Arrays.stream(query.split("&", -1)))
                        .as("query %s", query)
                        .anyMatch(p -> p.equals("platform") || p.startsWith("platform="));
            }
            platformFollowsTheRule(found);
        }

        // A value encoded as a browser would, after parameters of other names: read back exactly.
        if (Arrays.stream(prefix.split("&", -1)).noneMatch(p -> p.equals("platform") || p.startsWith("platform="))) {
            String query = prefix + "&platform=" + URLEncoder.encode(value, StandardCharsets.UTF_8) + "&" + suffix;
            assertThat(QueryString.value(query, "platform")).as("query %s", query).isEqualTo(value);
        }
        platformFollowsTheRule(value);
    }

    private static void idFollowsTheRule(String rest) {
        String path = "/track/" + rest;
        long id = TrackHandler.parseId(path);
        if (rest.isEmpty() || rest.indexOf('/') >= 0) {
            assertThat(id).as(path).isEqualTo(TrackHandler.NOT_A_LINK);
        } else if (DIGITS.matcher(rest).matches() && Long.parseLong(rest) > 0) {
            long value = Long.parseLong(rest);
            if (value <= MAX_ISSUED_ID) {
                assertThat(id).as(path).isEqualTo(value);
            } else {
                assertThat(id).as(path).isIn(value, TrackHandler.BAD_ID);
            }
        } else {
            assertThat(id).as(path).isEqualTo(TrackHandler.BAD_ID);
        }
    }

    /** Known names in any ASCII case, surrounding whitespace ignored; nothing else. */
    private static void platformFollowsTheRule(String name) {
        Optional<Platform> parsed = Platform.parse(name);
        if (name == null) {
            assertThat(parsed).isEmpty();
            return;
        }
        String trimmed = name.trim();
        boolean ascii = trimmed.chars().allMatch(c -> c < 0x80);
        Optional<Platform> expected = Arrays.stream(Platform.values())
                .filter(p -> ascii && p.canonical().equalsIgnoreCase(trimmed))
                .findFirst();
        assertThat(parsed).as("platform %s", name).isEqualTo(expected);
    }
}
