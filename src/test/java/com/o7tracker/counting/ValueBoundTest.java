package com.o7tracker.counting;

import static org.assertj.core.api.Assertions.assertThat;

import com.o7tracker.dimension.Dimension;
import com.o7tracker.dimension.Values;
import com.o7tracker.dimension.Visit;
import org.junit.jupiter.api.Test;

class ValueBoundTest {

    private static Visit from(String referrer) {
        return Visit.builder().set(Dimension.REFERRER, referrer).set(Dimension.UTM_SOURCE, "newsletter").build();
    }

    @Test
    void pastAThousandValuesOfACampaignsHourFurtherOnesAreOther() {
        ValueBound bound = new ValueBound();
        long hour = 490_000;
        for (int i = 0; i < ValueBound.MAX_VALUES; i++) {
            assertThat(bound.admit(1, hour, from("r" + i + ".example")).get(Dimension.REFERRER)).isEqualTo("r" + i + ".example");
        }
        Visit further = bound.admit(1, hour, from("new.example"));
        assertThat(further.get(Dimension.REFERRER)).isEqualTo(Values.OTHER);
        assertThat(further.get(Dimension.UTM_SOURCE)).as("another dimension, within its bound").isEqualTo("newsletter");
        assertThat(bound.admit(1, hour, from("r7.example")).get(Dimension.REFERRER)).as("a value already kept")
                .isEqualTo("r7.example");
        assertThat(bound.admit(1, hour, from(Values.NONE)).get(Dimension.REFERRER)).isEqualTo(Values.NONE);
        assertThat(bound.admit(2, hour, from("new.example")).get(Dimension.REFERRER)).as("another campaign")
                .isEqualTo("new.example");
        assertThat(bound.admit(1, hour + 1, from("new.example")).get(Dimension.REFERRER)).as("the next hour")
                .isEqualTo("new.example");
        assertThat(bound.admit(1, hour, from("late.example")).get(Dimension.REFERRER))
                .as("a clock stepped back: bounded with the current hour").isEqualTo("late.example");
    }

    @Test
    void pastTheValuesAnInstanceHoldsInAnHourFurtherOnesAreOtherWhateverTheCampaign() {
        // A thousand per campaign alone would let a flood over thousands of campaigns fill the heap
        // (about 1 MB a campaign of long values): the hour's values in all are bounded too.
        ValueBound bound = new ValueBound();
        long hour = 490_000;
        int campaigns = ValueBound.MAX_TOTAL / ValueBound.MAX_VALUES;
        for (int c = 0; c < campaigns; c++) {
            for (int i = 0; i < ValueBound.MAX_VALUES; i++) {
                assertThat(bound.admit(c, hour, Visit.builder().set(Dimension.REFERRER, "r" + i + ".example").build())
                        .get(Dimension.REFERRER)).isEqualTo("r" + i + ".example");
            }
        }
        assertThat(bound.admit(campaigns, hour, from("new.example")).get(Dimension.REFERRER)).as("a further campaign")
                .isEqualTo(Values.OTHER);
        assertThat(bound.admit(campaigns, hour, from("new.example")).get(Dimension.UTM_SOURCE)).as("another dimension")
                .isEqualTo(Values.OTHER);
        assertThat(bound.admit(0, hour, from("r7.example")).get(Dimension.REFERRER)).as("a value already kept")
                .isEqualTo("r7.example");
        assertThat(bound.admit(campaigns, hour + 1, from("new.example")).get(Dimension.REFERRER)).as("the next hour")
                .isEqualTo("new.example");
    }

    @Test
    void theCountryIsNotBounded() {
        ValueBound bound = new ValueBound(1);
        bound.admit(1, 0, Visit.builder().set(Dimension.COUNTRY, "DE").build());
        assertThat(bound.admit(1, 0, Visit.builder().set(Dimension.COUNTRY, "FR").build()).get(Dimension.COUNTRY))
                .isEqualTo("FR");
    }
}
