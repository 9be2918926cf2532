package com.o7tracker.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DestinationTest {

    @Test
    void aPlainUrlIsItsLocationWithNoWorkPerClick() {
        Destination plain = Destination.of("https://plain.example/a?b=c", true);
        assertThat(plain.location(1, Platform.ANDROID, null, null)).isSameAs(plain.toString());
        assertThat(plain.needsClickId()).isFalse();
        assertThat(Destination.of("https://bad example/", false)).as("not a URL a redirect can carry").isNull();
    }

    @Test
    void nonAsciiIsPercentEncodedAsUtf8AroundThePlaceholders() {
        Destination d = Destination.of("https://ünï.example/{platform}/p\u00e4th?id={campaign_id}&c={click_id}#f-{platform}", false);
        assertThat(d.needsClickId()).isTrue();
        assertThat(d.location(42, Platform.WINDOWS_PHONE, "abc_-1", null))
                .isEqualTo("https://%C3%BCn%C3%AF.example/WindowsPhone/p%C3%A4th?id=42&c=abc_-1#f-WindowsPhone");
        assertThat(Destination.of("https://x.example/{nope}", false)).isNull();
    }

    @Test
    void forwardedParametersAreEncodedAndGoBeforeTheFragment() {
        Destination d = Destination.of("https://x.example/p#frag", true);
        assertThat(d.location(1, Platform.OTHER, null, "a=%F0%9F%98%80&b=\uD83D\uDE00&c=\uD83D&d=\"'&platform=x"))
                .isEqualTo("https://x.example/p?a=%F0%9F%98%80&b=%F0%9F%98%80&c=%EF%BF%BD&d=%22'#frag");
        assertThat(d.location(1, Platform.OTHER, null, "%70latform=x&Platform=y"))
                .as("platform by its decoded name; other names as spelled").isEqualTo("https://x.example/p?Platform=y#frag");
    }

    @Test
    void forwardingNeverMakesALocationTooLongForTheResponse() {
        Destination d = Destination.of("https://x.example/", true);
        String location = d.location(1, Platform.OTHER, null, "a=" + "x".repeat(4_000) + "&b=" + "y".repeat(4_000) + "&c=1");
        assertThat(location).hasSizeLessThanOrEqualTo(Destination.MAX_LOCATION)
                .startsWith("https://x.example/?a=xxx").doesNotContain("b=").endsWith("&c=1");
    }
}
