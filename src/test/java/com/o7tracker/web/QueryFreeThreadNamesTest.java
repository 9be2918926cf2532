package com.o7tracker.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QueryFreeThreadNamesTest {

    @Test
    void aRequestsThreadIsNamedWithoutItsQuery() {
        Thread thread = Thread.currentThread();
        String before = thread.getName();
        try {
            // As Dropwizard's ThreadNameFilter names it: the request line, query and all.
            thread.setName("dw-7 - GET /postback?click_id=AQAB&event=install&key=o7_secretsecret");
            new QueryFreeThreadNames().filter(null);
            assertThat(thread.getName()).isEqualTo("dw-7 - GET /postback");
            thread.setName("dw-8 - GET /admin/campaigns");
            new QueryFreeThreadNames().filter(null);
            assertThat(thread.getName()).isEqualTo("dw-8 - GET /admin/campaigns");
        } finally {
            thread.setName(before);
        }
    }
}
