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
    /**
     * What shows as nothing: spaces of any kind (no-break ones too), the Hangul fillers, the blank
     * Braille pattern; and the information separators, which Java counts as spaces.
     */
    private static final Pattern BLANK = Pattern.compile("[\\s\\p{Z}\\x1c-\\x1f\\u115f\\u1160\\u3164\\uffa0\\u2800]",
            Pattern.UNICODE_CHARACTER_CLASS);
    /** What does not show as itself: controls, format characters, lone surrogates, private use, unassigned. */
    private static final Pattern HIDDEN = Pattern.compile("[\\p{Cc}\\p{Cf}\\p{Cs}\\p{Co}\\p{Cn}]");

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
            assertThat(BLANK.matcher(referrer).find()).as(referer).isFalse();
            assertThat(HIDDEN.matcher(referrer).find()).as(referer).isFalse();
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
            assertThat(trim(utm)).as("what was sent, cut").startsWith(source);
            assertThat(source.codePoints()).noneMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT);
            assertThat(HIDDEN.matcher(source).find()).as(utm).isFalse();
            assertThat(trim(source)).as(utm).isEqualTo(source).isNotEmpty();
        } else if (source.equals(Values.NONE)) {
            assertThat(trim(utm).isEmpty() || trim(utm).equals(Values.NONE)).as(utm).isTrue();
        }

        String language = Values.language(acceptLanguage);
        if (!language.equals(Values.NONE)) {
            assertThat(language).matches(LANGUAGE);
            assertThat(acceptLanguage.toLowerCase(Locale.ROOT)).contains(language);
        }
    }

    /** {@code s} without what shows as nothing at either end. */
    private static String trim(String s) {
        String blank = BLANK.pattern();
        return Pattern.compile("^" + blank + "+|" + blank + "+$", Pattern.UNICODE_CHARACTER_CLASS).matcher(s).replaceAll("");
    }
}
