package com.o7tracker.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.o7tracker.support.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CampaignDaoTest {

    private static final Instant END = Instant.parse("9999-12-31T00:00:00Z");
    private static CampaignDao dao;

    @BeforeAll
    static void database() {
        dao = Jdbi.create(TestPostgres.shared().migratedDataSource()).installPlugin(new SqlObjectPlugin()).onDemand(CampaignDao.class);
    }

    private static long newId() {
        return ThreadLocalRandom.current().nextLong(1L << 33, 1L << 52);
    }

    private static CampaignRequest request(String redirectUrl, String[] platforms) {
        return new CampaignRequest(redirectUrl, platforms, null, null);
    }

    @Test
    void platformUrlsAreSetRemovedAndClearedEntryByEntryAndMoveTheVersion() throws Exception {
        long id = newId();
        CampaignRequest.UrlChanges two = new CampaignRequest.UrlChanges(true,
                Map.of("Android", "https://play.example/", "IPhone", "https://apps.example/"), Set.of());
        Campaign created = dao.insert(id, new CampaignRequest("https://dao.example/", null, two, true)).orElseThrow();
        assertThat(created.platformUrls()).containsExactly(
                Map.entry("Android", "https://play.example/"), Map.entry("IPhone", "https://apps.example/"));
        assertThat(created.forwardQuery()).isTrue();
        long v1 = dao.findTarget(id).version();

        // One entry set, one removed, the rest kept; forward_query kept when not given.
        CampaignRequest.UrlChanges change = new CampaignRequest.UrlChanges(false,
                Map.of("Other", "https://web.example/"), Set.of("Android"));
        Campaign changed = dao.update(id, new CampaignRequest(null, null, change, null)).orElseThrow();
        assertThat(changed.platformUrls()).containsExactly(
                Map.entry("IPhone", "https://apps.example/"), Map.entry("Other", "https://web.example/"));
        assertThat(changed.forwardQuery()).isTrue();
        CampaignDao.CampaignTarget target = dao.findTarget(id);
        assertThat(target.version()).isGreaterThan(v1);
        assertThat(PlatformUrls.parse(target.platformUrls())).isEqualTo(changed.platformUrls());

        Campaign cleared = dao.update(id, new CampaignRequest(null, null, new CampaignRequest.UrlChanges(true, Map.of(),
                Set.of()), false)).orElseThrow();
        assertThat(cleared.platformUrls()).isEmpty();
        assertThat(cleared.forwardQuery()).isFalse();
        assertThat(dao.findTarget(id).version()).isGreaterThan(target.version());

        // A hand-written row PostgreSQL itself refuses: no key that is not a platform, no value that is not a string.
        try (Connection c = TestPostgres.shared().connect(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute("UPDATE campaigns SET platform_urls = '{\"Desktop\": \"https://x.example/\"}' "
                    + "WHERE id = " + id)).hasMessageContaining("campaigns_platform_urls_check");
            for (String bad : new String[] {"{\"Android\": 1}", "{\"Android\": [\"https://x.example/\"]}",
                "{\"Android\": []}", "[]"}) {
                assertThatThrownBy(() -> s.execute("UPDATE campaigns SET platform_urls = '" + bad + "' WHERE id = " + id))
                        .as(bad).hasMessageContaining("campaigns_platform_urls_check");
            }
        }
    }

    @Test
    void insertsFindsUpdatesAndDeletes() {
        long id = newId();
        Campaign created = dao.insert(id, request("https://dao.example/", new String[] {"Android", "IPhone"})).orElseThrow();
        assertThat(created.platforms()).containsExactly(Platform.ANDROID, Platform.IPHONE);
        assertThat(created.clickCount()).isZero();
        assertThat(dao.insert(id, request("https://other.example/", new String[0]))).as("a taken id").isEmpty();
        CampaignDao.CampaignTarget v1 = dao.findTarget(id);
        assertThat(v1.redirectUrl()).isEqualTo("https://dao.example/");
        assertThat(v1.version()).isPositive();

        Campaign updated = dao.update(id, request(null, new String[] {"WindowsPhone"})).orElseThrow();
        assertThat(updated.redirectUrl()).isEqualTo("https://dao.example/");
        assertThat(updated.platforms()).containsExactly(Platform.WINDOWS_PHONE);
        assertThat(updated.updatedAt()).isAfter(created.updatedAt());
        assertThat(updated.createdAt()).isEqualTo(created.createdAt());
        CampaignDao.CampaignTarget v2 = dao.findTarget(id);
        assertThat(v2.version()).as("every change a newer version").isGreaterThan(v1.version());

        assertThat(dao.delete(id)).isTrue();
        assertThat(dao.delete(id)).isFalse();
        assertThat(dao.findById(id)).isEmpty();
        assertThat(dao.update(id, request("https://x.example/", null))).isEmpty();
        CampaignDao.CampaignTarget deleted = dao.findTarget(id);
        assertThat(deleted.redirectUrl()).isNull();
        assertThat(deleted.version()).as("the deletion is newer still").isGreaterThan(v2.version());
        long never = newId();
        assertThat(dao.findTarget(never)).isEqualTo(new CampaignDao.CampaignTarget(never, null, null, false, 0));
    }

    @Test
    void pagesAreNewestFirstAndFilteredByPlatform() {
        long a = newId();
        long b = newId();
        dao.insert(a, request("https://a.example/", new String[] {"Android"}));
        dao.insert(b, request("https://b.example/", new String[] {"IPhone", "Android"}));
        List<Campaign> firstPage = dao.listPage(END, Long.MAX_VALUE, 1);
        assertThat(firstPage).extracting(Campaign::id).containsExactly(b);
        List<Campaign> secondPage = dao.listPage(firstPage.get(0).createdAt(), b, 1);
        assertThat(secondPage).extracting(Campaign::id).containsExactly(a);
        assertThat(dao.listPageTargeting(new String[] {"IPhone"}, END, Long.MAX_VALUE, 1000))
                .extracting(Campaign::id).contains(b).doesNotContain(a);
    }

    @Test
    void thePlatformFilterIsServedByItsIndex() throws Exception {
        try (Connection c = TestPostgres.shared().connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO campaigns (id, redirect_url, platforms) "
                    + "SELECT 1000000 + g, 'https://bulk.example/', ARRAY['Android'] FROM generate_series(1, 5000) g "
                    + "ON CONFLICT DO NOTHING");
            s.execute("ANALYZE campaigns");
            StringBuilder plan = new StringBuilder();
            try (ResultSet rs = s.executeQuery("EXPLAIN SELECT * FROM campaigns WHERE platforms && ARRAY['WindowsPhone']::text[] "
                    + "AND (created_at, id) < ('9999-12-31'::timestamptz, 9007199254740991) "
                    + "ORDER BY created_at DESC, id DESC LIMIT 100")) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
            assertThat(plan.toString()).contains("campaigns_platforms_idx").doesNotContain("Seq Scan");
            s.execute("DELETE FROM campaigns WHERE id BETWEEN 1000001 AND 1005000");
        }
    }
}
