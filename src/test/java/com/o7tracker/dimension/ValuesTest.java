package com.o7tracker.dimension;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Each visitor-sent dimension's rule, on what browsers and apps send and on what strangers might. */
class ValuesTest {

    @Test
    void aReferrerIsItsHostLowerCaseWithoutUserOrPortWhateverTheScheme() {
        assertThat(Values.referrer("https://News.Example.COM:8443/a/b?c=d#e")).isEqualTo("news.example.com");
        assertThat(Values.referrer("android-app://com.google.android.gm/")).isEqualTo("com.google.android.gm");
        assertThat(Values.referrer("http://user:secret@mail.example/")).isEqualTo("mail.example");
        assertThat(Values.referrer("https://example.com.")).isEqualTo("example.com");
        assertThat(Values.referrer("https://[2001:db8::1]:443/")).isEqualTo("[2001:db8::1]");
        assertThat(Values.referrer("https://bücher.example/")).as("as sent").isEqualTo("bücher.example");
        assertThat(Values.referrer("  https://t.co/x  ")).isEqualTo("t.co");
    }

    @Test
    void aReferrerThatIsNoURLIsNoneAndOneWithControlCharactersIsOther() {
        for (String none : new String[] {null, "", "   ", "t.co/x", "/relative", "://host", "1http://x", "ht tp://x",
                "https://", "https:///path", "https://user@", "https://" + "a".repeat(254) + "/"}) {
            assertThat(Values.referrer(none)).as(String.valueOf(none)).isEqualTo(Values.NONE);
        }
        assertThat(Values.referrer("https://a\u0007b.example/")).isEqualTo(Values.OTHER);
        assertThat(Values.referrer("https://a\u009db.example/")).as("a C1 control").isEqualTo(Values.OTHER);
        assertThat(Values.referrer("https://a b.example/")).as("no host").isEqualTo(Values.NONE);
        assertThat(Values.referrer("dd://\u2003:/")).as("a Unicode space is no host either").isEqualTo(Values.NONE);
        assertThat(Values.referrer("https://a\u00a0b.example/")).as("nor a no-break space in one").isEqualTo(Values.NONE);
        assertThat(Values.referrer("https://\"><script>alert(1)</script>")).as("text, escaped wherever shown")
                .isEqualTo("\"><script>alert(1)<");
    }

    @Test
    void aUtmValueIsTrimmedAndCutAtAHundredCharacters() {
        assertThat(Values.utm(" newsletter ")).isEqualTo("newsletter");
        assertThat(Values.utm(null)).isEqualTo(Values.NONE);
        assertThat(Values.utm("  ")).isEqualTo(Values.NONE);
        assertThat(Values.utm("x".repeat(150))).isEqualTo("x".repeat(100));
        assertThat(Values.utm("\uD83D\uDE00".repeat(120))).as("whole code points").isEqualTo("\uD83D\uDE00".repeat(100));
        assertThat(Values.utm("spring\nsale")).isEqualTo(Values.OTHER);
        assertThat(Values.utm("Frühling 2026")).isEqualTo("Frühling 2026");
    }

    @Test
    void aLanguageIsThePrimarySubtagOfTheOneWeighedMost() {
        assertThat(Values.language("de-AT,de;q=0.9,en;q=0.8")).isEqualTo("de");
        assertThat(Values.language("en;q=0.5, FR-ca;q=0.9")).isEqualTo("fr");
        assertThat(Values.language("*, es;q=0.1")).isEqualTo("es");
        assertThat(Values.language("en;q=0.7,de;q=0.7")).as("the first of equal weights").isEqualTo("en");
        assertThat(Values.language("haw-US")).isEqualTo("haw");
        assertThat(Values.language("en;q=0, de;q=0.001")).isEqualTo("de");
        for (String none : new String[] {null, "", "*", "e", "english", "12", "en;q=0", "en;q=2", "en;q=abc", "x-klingon",
                ";", ",;,", ";;q=1"}) {
            assertThat(Values.language(none)).as(String.valueOf(none)).isEqualTo(Values.NONE);
        }
        assertThat(Values.language("en".repeat(600))).as("over 1,000 characters").isEqualTo(Values.NONE);
    }

    @Test
    void dimensionsAreNamedAsTheBreakdownsAskForThem() {
        assertThat(Dimension.parse("utm_source")).hasValue(Dimension.UTM_SOURCE);
        assertThat(Dimension.parse("Country")).isEmpty();
        assertThat(Dimension.values()).extracting(Dimension::wireName).containsExactly("country", "referrer",
                "utm_source", "utm_medium", "utm_campaign", "language", "os", "browser");
    }

    @Test
    void aHostThatLowerCaseMakesLongerThanTheBoundIsNone() {
        String host = "\u0130".repeat(200) + ".example";
        assertThat(host.length()).isLessThanOrEqualTo(Values.MAX_HOST);
        assertThat(host.toLowerCase(java.util.Locale.ROOT).length()).isGreaterThan(Values.MAX_HOST);
        assertThat(Values.referrer("https://" + host + "/")).isEqualTo(Values.NONE);
    }

    @Test
    void aVisitStoresNoValueTheTableWouldRefuse() {
        Visit visit = Visit.builder().set(Dimension.UTM_SOURCE, "").set(Dimension.REFERRER, "x".repeat(254))
                .set(Dimension.BROWSER, "Firefox").build();
        assertThat(visit.get(Dimension.UTM_SOURCE)).isEqualTo(Values.OTHER);
        assertThat(visit.get(Dimension.REFERRER)).isEqualTo(Values.OTHER);
        assertThat(visit.get(Dimension.BROWSER)).isEqualTo("Firefox");
    }

    @Test
    void aValueWithBidirectionalOrZeroWidthCharactersIsOther() {
        assertThat(Values.utm("\u202Eevil")).isEqualTo(Values.OTHER);
        assertThat(Values.utm("news\u200Bletter")).isEqualTo(Values.OTHER);
        assertThat(Values.referrer("https://ex\u2066ample.com/")).isEqualTo(Values.OTHER);
        assertThat(Values.software("Chrome\u200E")).isEqualTo(Values.OTHER);
        assertThat(Values.utm("caf\u00e9 \u2709")).as("letters and symbols are kept").isEqualTo("caf\u00e9 \u2709");
    }

    @Test
    void aValueShownBlankIsNoneAndNoBreakSpacesAreTrimmedAsSpacesAre() {
        // String.strip() trims Character.isWhitespace, which the no-break spaces are not.
        assertThat(Values.utm("\u00a0")).as("a no-break space").isEqualTo(Values.NONE);
        assertThat(Values.utm("\u2007\u202f")).as("figure and narrow no-break spaces").isEqualTo(Values.NONE);
        assertThat(Values.utm("\u00a0newsletter\u00a0")).isEqualTo("newsletter");
        assertThat(Values.software("\u00a0")).isEqualTo(Values.NONE);
        // Letters and symbols that show as nothing: the Hangul fillers, the blank Braille pattern.
        assertThat(Values.utm("\u3164")).isEqualTo(Values.NONE);
        assertThat(Values.utm("\u2800 \uffa0")).isEqualTo(Values.NONE);
        assertThat(Values.referrer("https://\u3164/")).isEqualTo(Values.NONE);
        assertThat(Values.referrer("https://\u115f\u1160/")).isEqualTo(Values.NONE);
        assertThat(Values.referrer("https://a\u2800b.example/")).isEqualTo(Values.NONE);
        assertThat(Values.referrer("\u00a0https://a.example/")).isEqualTo("a.example");
    }

    @Test
    void aValueWithCharactersThatShowAsSomethingElseIsOther() {
        // A lone surrogate is stored as "?" (UTF-8 has no encoding of it); private use and unassigned
        // code points show as whatever a font makes of them.
        assertThat(Values.referrer("https://a\ud800b.example/")).isEqualTo(Values.OTHER);
        assertThat(Values.referrer("https://\ue000/")).isEqualTo(Values.OTHER);
        assertThat(Values.utm("sale\udc00")).isEqualTo(Values.OTHER);
        assertThat(Values.utm("\u0378")).isEqualTo(Values.OTHER);
        assertThat(Values.software("Chrome\uf8ff")).isEqualTo(Values.OTHER);
        assertThat(Values.utm("\uD83D\uDE00")).as("a pair of surrogates is one character").isEqualTo("\uD83D\uDE00");
    }
}
