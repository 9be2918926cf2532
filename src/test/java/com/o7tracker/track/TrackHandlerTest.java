package com.o7tracker.track;

import static org.assertj.core.api.Assertions.assertThat;

import com.o7tracker.web.QueryString;
import org.junit.jupiter.api.Test;

/** The click path's own parsing of the raw request: what Jersey's @PathParam and @QueryParam did. */
class TrackHandlerTest {

    @Test
    void theIdIsAPositiveDecimalUpToTwoToTheFiftyThreeMinusOne() {
        assertThat(TrackHandler.parseId("/track/4503599627370496")).isEqualTo(4503599627370496L);
        assertThat(TrackHandler.parseId("/track/9007199254740991")).isEqualTo(9007199254740991L);
        assertThat(TrackHandler.parseId("/track/9007199254740992")).isEqualTo(TrackHandler.BAD_ID);
        assertThat(TrackHandler.parseId("/track/9999999999999999")).isEqualTo(TrackHandler.BAD_ID);
        assertThat(TrackHandler.parseId("/track/10000000000000000")).isEqualTo(TrackHandler.BAD_ID);
        assertThat(TrackHandler.parseId("/track/+5")).isEqualTo(TrackHandler.BAD_ID);
        assertThat(TrackHandler.parseId("/track/0")).isEqualTo(TrackHandler.BAD_ID);
        assertThat(TrackHandler.parseId("/track/-5")).isEqualTo(TrackHandler.BAD_ID);
        assertThat(TrackHandler.parseId("/track/1.5")).isEqualTo(TrackHandler.BAD_ID);
        assertThat(TrackHandler.parseId("/track/abc")).isEqualTo(TrackHandler.BAD_ID);
        assertThat(TrackHandler.parseId("/track")).isEqualTo(TrackHandler.NOT_A_LINK);
        assertThat(TrackHandler.parseId("/track/")).isEqualTo(TrackHandler.NOT_A_LINK);
        assertThat(TrackHandler.parseId("/track/1/extra")).isEqualTo(TrackHandler.NOT_A_LINK);
    }

    @Test
    void theFirstPlatformParameterIsTakenAndDecoded() {
        assertThat(QueryString.value("platform=Android", "platform")).isEqualTo("Android");
        assertThat(QueryString.value("utm=x&platform=IPhone&platform=Android", "platform")).isEqualTo("IPhone");
        assertThat(QueryString.value("platform=Windows%50hone", "platform")).isEqualTo("WindowsPhone");
        assertThat(QueryString.value("platform=+Android+", "platform")).isEqualTo(" Android ");
        assertThat(QueryString.value("platform=%zz", "platform")).as("there, naming nothing").isEqualTo("%zz");
        assertThat(QueryString.value("platforms=Android", "platform")).isNull();
        assertThat(QueryString.value("xplatform=Android", "platform")).isNull();
        assertThat(QueryString.value("platform", "platform")).isEmpty();
        assertThat(QueryString.value("platform=", "platform")).isEmpty();
        assertThat(QueryString.value(null, "platform")).isNull();
        assertThat(QueryString.value("", "platform")).isNull();
        assertThat(QueryString.value("platform=%+9Android", "platform")).as("a % before no two hex digits is no escape")
                .isEqualTo("% 9Android");
    }
}
