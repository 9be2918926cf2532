package com.o7tracker.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import com.o7tracker.support.Json;
import com.o7tracker.support.Tables;
import com.o7tracker.support.TestPostgres;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.Test;

/**
 * The positions a read of the counters answers with, on a real PostgreSQL: from the read's own
 * snapshot, and only of the journals applied lately, whoever moved them.
 */
class AppliedPositionsTest {

    private static final Jdbi JDBI = Jdbi.create(TestPostgres.shared().migratedDataSource()).installPlugin(new SqlObjectPlugin());
    private static final CampaignDao DAO = JDBI.onDemand(CampaignDao.class);
    private final AppliedPositions positions = new AppliedPositions(JDBI);

    @Test
    void aFlushCommittedDuringTheReadIsNeitherInTheReadNorInItsPositions() {
        String journal = UUID.randomUUID().toString();
        Tables.execute("INSERT INTO click_journals (journal_id, applied_seq) VALUES ('" + journal + "', 0)");
        Tables.execute("UPDATE click_journals SET applied_seq = 10 WHERE journal_id = '" + journal + "'");
        long id = new CampaignService(DAO).create(CampaignRequest.forCreate(Json.parse("{\"redirect_url\":\"https://example.com/\"}"))).id();

        AppliedPositions.Read<Long> read = positions.read(() -> {
            long clicks = DAO.findById(id).orElseThrow().clickCount();
            // A flush of another connection commits between the read of the counters and that of the positions.
            Tables.execute("BEGIN; UPDATE campaigns SET click_count = click_count + 5, android_click_count = android_click_count + 5"
                    + " WHERE id = " + id + "; UPDATE click_journals SET applied_seq = 15 WHERE journal_id = '" + journal + "'; COMMIT");
            return clicks;
        });

        assertThat(read.value()).isZero();
        assertThat(entries(read)).contains(journal + "=10").doesNotContain(journal + "=15");
        assertThat(entries(positions.read(() -> 0))).contains(journal + "=15");
    }

    @Test
    void onlyJournalsAppliedLatelyAreNamed() {
        String moved = UUID.randomUUID().toString();
        String registered = UUID.randomUUID().toString();
        String idle = UUID.randomUUID().toString();
        String untold = "journal,with=marks";
        for (String journal : List.of(moved, registered, idle, untold)) {
            Tables.execute("INSERT INTO click_journals (journal_id, applied_seq) VALUES ('" + journal + "', 3)");
        }
        // As any version's flush moves it: the applied time is PostgreSQL's, not the writer's.
        Tables.execute("UPDATE click_journals SET applied_seq = 7, updated_at = clock_timestamp() WHERE journal_id = '" + moved + "'");
        Tables.execute("UPDATE click_journals SET updated_at = clock_timestamp() WHERE journal_id = '" + registered + "'");
        Tables.execute("UPDATE click_journals SET applied_seq = 4 WHERE journal_id IN ('" + idle + "', '" + untold + "')");
        Tables.execute("UPDATE click_journals SET applied_at = clock_timestamp() - interval '"
                + (AppliedPositions.RECENT_MINUTES + 1) + " minutes' WHERE journal_id = '" + idle + "'");

        List<String> named = entries(positions.read(() -> 0));

        assertThat(named).contains(moved + "=7");
        assertThat(named).noneMatch(e -> e.startsWith(registered) || e.startsWith(idle) || e.contains("marks"));
    }

    private static List<String> entries(AppliedPositions.Read<?> read) {
        return Arrays.asList(read.positions().split(","));
    }
}
