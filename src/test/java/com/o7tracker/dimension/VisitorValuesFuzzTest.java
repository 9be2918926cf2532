package com.o7tracker.dimension;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Fuzzes the rules for what visitors send (Referer, utm values, Accept-Language): whatever comes,
 * no exception, and the value kept is bounded text of the shape the README states, checked against
 * those statements rather than a copy of the code.
 */
class VisitorValuesFuzzTest {

    private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}");
    private static final Pattern HOST = Pattern.compile("[a-z0-9]([a-z0-9.-]{0,60}[a-z0-9])?");

    @FuzzTest(maxDuration = "10s")
    void whateverVisitorsSendTheValuesAreBoundedTextOfTheirShape(FuzzedDataProvider data) {
        String host = data.consumeString(64);
        String referer = data.consumeString(300);
        String utm = data.consumeString(300);
        String acceptLanguage = data.consumeRemainingAsString();

        String referrer = Values.referrer(referer);
        if (!referrer.equals(Values.NONE) && !referrer.equals(Values.OTHER)) {
            assertThat(referrer).as(referer).isNotEmpty().hasSizeLessThanOrEqualTo(Values.MAX_HOST)
                    .isEqualTo(referrer.toLowerCase(Locale.ROOT)).doesNotContainAnyWhitespaces()
                    .doesNotContain("/", "?", "#", "@");
            assertThat(referrer.chars()).as(referer).noneMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT);
        }
        // A host as browsers send one, behind any scheme, user, port and path: read back exactly.
        String lower = host.toLowerCase(Locale.ROOT);
        if (HOST.matcher(lower).matches()) {
            assertThat(Values.referrer("https://" + host + "/" + referer)).isEqualTo(lower);
            assertThat(Values.referrer("android-app://" + host + ":8080?" + referer)).isEqualTo(lower);
            assertThat(Values.referrer("http://user:pw@" + host + "#" + referer)).isEqualTo(lower);
        }

        String source = Values.utm(utm);
        if (!source.equals(Values.NONE) && !source.equals(Values.OTHER)) {
            assertThat(source).as(utm).isNotBlank().isEqualTo(source.strip());
            assertThat(source.codePointCount(0, source.length())).isLessThanOrEqualTo(Values.MAX_UTM);
            assertThat(utm.strip()).as("what was sent, cut").startsWith(source);
            assertThat(source.codePoints()).noneMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT);
        } else if (source.equals(Values.NONE)) {
            assertThat(utm.isBlank() || utm.strip().equals(Values.NONE)).as(utm).isTrue();
        }

        String language = Values.language(acceptLanguage);
        if (!language.equals(Values.NONE)) {
            assertThat(language).matches(LANGUAGE);
            assertThat(acceptLanguage.toLowerCase(Locale.ROOT)).contains(language);
        }
    }
}
