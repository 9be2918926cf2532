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
    void nonAsciiIsPercentEncodedAsUtf8AroundThePlaceholdersAndAHostIsPunycode() {
        Destination d = Destination.of("https://ünï.example/{platform}/p\u00e4th?id={campaign_id}&c={click_id}#f-{platform}", false);
        assertThat(d.needsClickId()).isTrue();
        assertThat(d.location(42, Platform.WINDOWS_PHONE, "abc_-1", null))
                .isEqualTo("https://xn--n-nga1b.example/WindowsPhone/p%C3%A4th?id=42&c=abc_-1#f-WindowsPhone");
        assertThat(Destination.of("https://x.example/{nope}", false)).isNull();
    }

    @Test
    void anInternationalisedHostGoesOutAsPunycodeAndTheRestPercentEncodedAsBrowsersSendIt() {
        assertThat(Destination.of("https://bücher.de/straße?q=ä", false).location(1, Platform.OTHER, null, null))
                .isEqualTo("https://xn--bcher-kva.de/stra%C3%9Fe?q=%C3%A4");
        assertThat(AsciiUrl.toAscii("http://jö:pä@Bücher.de:8080/ä?b=http://ü.example#ü"))
                .as("the user info, port, query and fragment stay where they are; only the host is punycode")
                .isEqualTo("http://j%C3%B6:p%C3%A4@xn--bcher-kva.de:8080/%C3%A4?b=http://%C3%BC.example#%C3%BC");
        assertThat(AsciiUrl.toAscii("https://bu\u0308cher.de/")).as("normalised first (NFC)").isEqualTo("https://xn--bcher-kva.de/");
        assertThat(AsciiUrl.toAscii("https://{platform}.bücher.de/")).isEqualTo("https://{platform}.xn--bcher-kva.de/");
        assertThat(AsciiUrl.asciiHost("accounts.example.com\uFF20evil.example")).as("a full-width @").isNull();
        assertThat(AsciiUrl.asciiHost("evil.example\uFF0F.good.example")).as("a full-width /").isNull();
        assertThat(AsciiUrl.asciiHost("a\uFF1Fb.example")).as("a full-width ?").isNull();
        assertThat(AsciiUrl.asciiHost("fa\u00df.de")).as("IDNA 2003 makes it fass.de, browsers xn--fa-hia.de").isNull();
        assertThat(AsciiUrl.asciiHost("b\u00fccher\uFF0Ede")).as("a full-width dot is a dot").isEqualTo("xn--bcher-kva.de");
        assertThat(AsciiUrl.toAscii("https://b\uFFFDcher.de/"))
                .as("no name DNS could carry: percent-encoded like the rest (and refused as a campaign's URL)")
                .isEqualTo("https://b%EF%BF%BDcher.de/");
        assertThat(AsciiUrl.toAscii("https://x.example/?u=https://bücher.de/")).isEqualTo("https://x.example/?u=https://b%C3%BCcher.de/");
        assertThat(AsciiUrl.toAscii("https:///ä")).as("no host").isEqualTo("https:///%C3%A4");
        assertThat(AsciiUrl.toAscii("https://:8080/ä")).as("a port, no host").isEqualTo("https://:8080/%C3%A4");
        assertThat(AsciiUrl.toAscii("https://ä@")).as("user info, no host").isEqualTo("https://%C3%A4@");
        assertThat(AsciiUrl.toAscii("/ä?u=https://ü.example/")).as("no scheme").isEqualTo("/%C3%A4?u=https://%C3%BC.example/");
    }

    @Test
    void forwardedParametersAreEncodedAndGoBeforeTheFragment() {
        Destination d = Destination.of("https://x.example/p#frag", true);
        assertThat(d.location(1, Platform.OTHER, null, "a=%F0%9F%98%80&b=\uD83D\uDE00&c=\uD83D&d=\"'&platform=x"))
                .isEqualTo("https://x.example/p?a=%F0%9F%98%80&b=%F0%9F%98%80&c=%EF%BF%BD&d=%22'#frag");
        assertThat(d.location(1, Platform.OTHER, null, "platform=x&%70latform=y&Platform=z"))
                .as("platform by its name as sent, as the click path reads it").isEqualTo("https://x.example/p?%70latform=y&Platform=z#frag");
        assertThat(d.location(1, Platform.OTHER, null, "a&a&a=1&=2")).isEqualTo("https://x.example/p?a&a&a=1&=2#frag");
        assertThat(Destination.of("https://x.example/p?a=1&&b=2", true).location(1, Platform.OTHER, null, "=v&b=3&c=4"))
                .as("an empty piece of the destination's query names no parameter: a click's unnamed one is forwarded")
                .isEqualTo("https://x.example/p?a=1&&b=2&=v&c=4");
        assertThat(d.location(1, Platform.OTHER, null, "cjk=\uD877\uDC00"))
                .as("a character of a supplementary plane at U+2DC00").isEqualTo("https://x.example/p?cjk=%F0%AD%B0%80#frag");
    }

    @Test
    void theLongestLocationCountsPlaceholdersAtTheirLongestAndEncoding() {
        assertThat(Destination.longestLocation("https://x.example/{click_id}")).isEqualTo("https://x.example/".length() + Destination.MAX_CLICK_ID);
        assertThat(Destination.longestLocation("https://x.example/\u00e4")).isEqualTo("https://x.example/%C3%A4".length());
    }

    @Test
    void forwardingNeverMakesALocationTooLongForTheResponse() {
        Destination d = Destination.of("https://x.example/", true);
        String location = d.location(1, Platform.OTHER, null, "a=" + "x".repeat(4_000) + "&b=" + "y".repeat(4_000) + "&c=1");
        assertThat(location).hasSizeLessThanOrEqualTo(Destination.MAX_LOCATION)
                .startsWith("https://x.example/?a=xxx").doesNotContain("b=").endsWith("&c=1");
    }
}
