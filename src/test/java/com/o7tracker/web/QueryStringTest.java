package com.o7tracker.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A query read as a browser's URL parser reads it. */
class QueryStringTest {

    @Test
    void escapesAndPlusesDecodeAndAPercentThatStartsNoEscapeStaysAsSent() {
        assertThat(QueryString.decode("caf%C3%A9+au+lait")).isEqualTo("café au lait");
        assertThat(QueryString.decode("100%+sure%2")).isEqualTo("100% sure%2");
        assertThat(QueryString.decode("%zz%4")).isEqualTo("%zz%4");
    }

    /** Characters sent unescaped beside an escape keep their UTF-8, those outside the BMP too (before: "?? "). */
    @Test
    void unescapedCharactersBesideAnEscapeKeepTheirUtf8() {
        assertThat(QueryString.decode("\uD83D\uDE00+b\u00FCcher%21")).isEqualTo("\uD83D\uDE00 b\u00FCcher!");
        assertThat(QueryString.decode("lone\uD83D+")).isEqualTo("lone? ");
    }

    @Test
    void theFirstValueOfANameIsTakenWholeNamesThatMerelyStartAlikeAreNot() {
        assertThat(QueryString.value("platforms=x&platform=Android&platform=IPhone", "platform")).isEqualTo("Android");
        assertThat(QueryString.value("a=1&&platform", "platform")).isEmpty();
        assertThat(QueryString.value("a=1", "platform")).isNull();
        assertThat(QueryString.value(null, "platform")).isNull();
    }
}
