package com.o7tracker.track;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClickIdsTest {

    @Test
    void idsAreUrlSafeAtMost32CharactersAndNeverRepeatWithinOrAcrossProcesses() {
        Set<String> seen = new HashSet<>();
        for (int process = 0; process < 20; process++) {
            ClickIds ids = new ClickIds(); // a start of the service: a fresh random prefix, counting from 0
            for (int i = 0; i < 5_000; i++) {
                String id = ids.next();
                assertThat(id).matches("[A-Za-z0-9_-]{17,32}");
                assertThat(seen.add(id)).as(id).isTrue();
            }
        }
    }
}
