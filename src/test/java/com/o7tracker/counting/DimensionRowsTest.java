package com.o7tracker.counting;

import static org.assertj.core.api.Assertions.assertThat;

import com.o7tracker.dimension.Dimension;
import com.o7tracker.dimension.Visit;
import com.o7tracker.support.Tables;
import com.o7tracker.support.TestPostgres;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.Test;

/** The flush's dimension rows on a real PostgreSQL. */
class DimensionRowsTest {

    @Test
    void moreRowsThanOneStatementTakesAreWrittenInSeveralAndAllSumToTheClicks() {
        Jdbi jdbi = Jdbi.create(TestPostgres.shared().migratedDataSource()).installPlugin(new SqlObjectPlugin());
        long id = 7_700_000_000L + System.nanoTime() % 1_000_000_000L;
        Tables.execute("INSERT INTO campaigns (id, redirect_url, platforms) VALUES (" + id + ", 'https://rows.example/', '{}')");
        ClickCounts counts = new ClickCounts();
        int visits = DimensionRows.STATEMENT_ROWS / 4 + 7; // 5 dimensions of distinct values each: two statements
        long minute = System.currentTimeMillis() / 60_000;
        for (int i = 0; i < visits; i++) {
            Visit visit = Visit.builder().set(Dimension.REFERRER, "r" + i + ".example").set(Dimension.UTM_SOURCE, "s" + i)
                    .set(Dimension.UTM_MEDIUM, "m" + i).set(Dimension.UTM_CAMPAIGN, "c" + i).set(Dimension.BROWSER, "b" + i)
                    .build();
            counts.add(id, i % 4, minute, visit, 2);
        }
        assertThat(counts.dimensions()).hasSizeGreaterThan(DimensionRows.STATEMENT_ROWS);
        jdbi.useTransaction(h -> h.attach(CounterStore.class).addToDimensions(counts.dimensions()));

        for (Dimension dimension : Dimension.values()) {
            assertThat(Tables.dimensionTotals(id, dimension.wireName())[0]).as(dimension.wireName()).isEqualTo(2L * visits);
        }
        assertThat(Tables.number("SELECT count(*) FROM click_dimension_hours WHERE campaign_id = " + id))
                .isEqualTo(counts.dimensions().size());
    }
}
