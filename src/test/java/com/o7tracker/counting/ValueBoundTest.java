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
    void theCountryIsNotBounded() {
        ValueBound bound = new ValueBound(1);
        bound.admit(1, 0, Visit.builder().set(Dimension.COUNTRY, "DE").build());
        assertThat(bound.admit(1, 0, Visit.builder().set(Dimension.COUNTRY, "FR").build()).get(Dimension.COUNTRY))
                .isEqualTo("FR");
    }
}
