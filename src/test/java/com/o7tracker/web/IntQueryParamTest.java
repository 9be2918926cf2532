package com.o7tracker.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

/** Every bounded integer query parameter of the admin API is read, and refused, the same way. */
class IntQueryParamTest {

    private static final IntQueryParam LIMIT = new IntQueryParam("limit", 1, 1000, 100);

    @Test
    void absentIsTheDefaultAndAnIntegerWithinTheBoundsIsItself() {
        assertThat(LIMIT.read(null)).isEqualTo(100);
        assertThat(LIMIT.read("1")).isEqualTo(1);
        assertThat(LIMIT.read(" 1000 ")).isEqualTo(1000);
    }

    @Test
    void anythingElseIsOne400NamingTheParameterAndItsBounds() {
        for (String bad : new String[] {"0", "1001", "-1", "", "ten", "1.5", "99999999999"}) {
            ApiException refused = catchThrowableOfType(ApiException.class, () -> LIMIT.read(bad));
            assertThat(refused).as(bad).hasMessage("Query parameter limit must be an integer from 1 to 1000.");
            assertThat(refused.getResponse().getStatus()).as(bad).isEqualTo(400);
        }
    }
}
