package com.o7tracker.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AdminSideTest {

    @Test
    void theAdminSideIsAdminAndTasksWithTheirSubpathsAndNothingElse() {
        for (String path : new String[] {"/admin", "admin", "/admin/campaigns/1", "/admin/{collection: campaigns|campains}",
                "/tasks", "/tasks/update_stats", "tasks/update_stats"}) {
            assertThat(AdminSide.contains(path)).as(path).isTrue();
        }
        for (String path : new String[] {"/", "", "/track/1", "/administrator", "/admins/x", "/taskss", "/liveness_check",
                "/badMessage", "/Admin/campaigns"}) {
            assertThat(AdminSide.contains(path)).as(path).isFalse();
        }
    }
}
