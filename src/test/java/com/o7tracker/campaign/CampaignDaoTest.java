package com.o7tracker.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.o7tracker.support.TestPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
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

    private static CampaignRequest labels(String redirectUrl, String[] platforms, String name, String... tags) {
        return new CampaignRequest(redirectUrl, platforms, null, null, name, tags);
    }

    private static CampaignFilter filter(String[] platforms, String[] tags, String text) {
        return new CampaignFilter(platforms, tags, text);
    }

    /** Every campaign the filter keeps, walked page by page of {@code pageSize}, newest first. */
    private static List<Long> walk(CampaignFilter filter, int pageSize) {
        List<Long> ids = new ArrayList<>();
        Instant createdAt = END;
        long after = Long.MAX_VALUE;
        for (int pages = 0; pages < 100; pages++) {
            List<Campaign> page = dao.listPage(filter, createdAt, after, pageSize);
            page.forEach(c -> ids.add(c.id()));
            if (page.size() < pageSize) {
                return ids;
            }
            createdAt = page.get(page.size() - 1).createdAt();
            after = page.get(page.size() - 1).id();
        }
        throw new AssertionError("more than 100 pages");
    }

    private static String plan(Statement s, String query) throws SQLException {
        StringBuilder plan = new StringBuilder();
        try (ResultSet rs = s.executeQuery("EXPLAIN " + query)) {
            while (rs.next()) {
                plan.append(rs.getString(1)).append('\n');
            }
        }
        return plan.toString();
    }

    @Test
    void namesAndTagsAreStoredKeptByOtherChangesAndClearedWithoutMovingTheVersion() {
        long id = newId();
        Campaign created = dao.insert(id, labels("https://labels.example/", null, "Spring sale", "spring", "si")).orElseThrow();
        assertThat(created.name()).isEqualTo("Spring sale");
        assertThat(created.tags()).containsExactly("spring", "si");
        long version = dao.findTarget(id).version();

        Campaign other = dao.update(id, request("https://labels.example/new", null)).orElseThrow();
        assertThat(other.name()).isEqualTo("Spring sale");
        assertThat(other.tags()).containsExactly("spring", "si");
        assertThat(dao.findTarget(id).version()).isGreaterThan(version);

        Campaign renamed = dao.update(id, labels(null, null, "Summer", (String[]) null)).orElseThrow();
        assertThat(renamed.name()).isEqualTo("Summer");
        assertThat(renamed.tags()).as("absent: kept").containsExactly("spring", "si");
        Campaign retagged = dao.update(id, labels(null, null, null, "summer")).orElseThrow();
        assertThat(retagged.name()).as("absent: kept").isEqualTo("Summer");
        assertThat(retagged.tags()).containsExactly("summer");
        assertThat(retagged.updatedAt()).isAfter(renamed.updatedAt());
        Campaign cleared = dao.update(id, labels(null, null, "")).orElseThrow();
        assertThat(cleared.name()).isNull();
        assertThat(cleared.tags()).isEmpty();
        assertThat(dao.findById(id).orElseThrow()).isEqualTo(cleared);

        Campaign plain = dao.insert(newId(), request("https://labels.example/plain", null)).orElseThrow();
        assertThat(plain.name()).isNull();
        assertThat(plain.tags()).isEmpty();
    }

    @Test
    void postgresqlRefusesANameOrTagsTheApiWouldRefuse() throws Exception {
        long id = newId();
        dao.insert(id, request("https://labels.example/checked", null)).orElseThrow();
        try (Connection c = TestPostgres.shared().connect(); Statement s = c.createStatement()) {
            for (String bad : new String[] {"''", "' x'", "'x '", "repeat('n', 201)", "'a' || chr(9) || 'b'",
                "'a' || chr(127)", "'a' || chr(133)"}) {
                assertThatThrownBy(() -> s.execute("UPDATE campaigns SET name = " + bad + " WHERE id = " + id))
                        .as(bad).hasMessageContaining("campaigns_name_check");
            }
            for (String bad : new String[] {"ARRAY['Spring']", "ARRAY['']", "ARRAY['a b']", "ARRAY['a', 'a']",
                "ARRAY['a', NULL]", "ARRAY[repeat('t', 51)]", "ARRAY[['a'], ['b']]",
                "(SELECT array_agg('t' || g) FROM generate_series(1, 21) g)"}) {
                assertThatThrownBy(() -> s.execute("UPDATE campaigns SET tags = " + bad + " WHERE id = " + id))
                        .as(bad).hasMessageContaining("campaigns_tags_check");
            }
            s.execute("UPDATE campaigns SET name = repeat('n', 199) || '😀', tags = ARRAY[repeat('t', 50), 'null', '-_9']"
                    + " WHERE id = " + id);
        }
        assertThat(dao.findById(id).orElseThrow().tags()).containsExactly("t".repeat(50), "null", "-_9");
    }

    @Test
    void theTagFilterKeepsAnyOfTheTagsWithThePlatformsAndAcrossPages() {
        String run = "r" + Long.toHexString(newId());
        String spring = run + "-spring";
        String summer = run + "-summer";
        long a = dao.insert(newId(), labels("https://tags.example/a", new String[] {"Android"}, null, spring)).orElseThrow().id();
        long b = dao.insert(newId(), labels("https://tags.example/b", new String[] {"IPhone"}, null, summer, "other")).orElseThrow().id();
        long c = dao.insert(newId(), labels("https://tags.example/c", new String[] {"Android"}, null, spring, summer)).orElseThrow().id();
        long d = dao.insert(newId(), labels("https://tags.example/d", new String[] {"Android"}, null, run + "-winter")).orElseThrow().id();
        long e = dao.insert(newId(), labels("https://tags.example/e", new String[] {"Android"}, null)).orElseThrow().id();

        assertThat(walk(filter(new String[0], new String[] {spring, summer}, null), 1)).containsExactly(c, b, a);
        assertThat(walk(filter(new String[0], new String[] {summer}, null), 2)).containsExactly(c, b);
        assertThat(walk(filter(new String[] {"Android"}, new String[] {spring, summer}, null), 1)).containsExactly(c, a);
        assertThat(walk(filter(new String[] {"WindowsPhone"}, new String[] {spring}, null), 1)).isEmpty();
        assertThat(walk(filter(new String[0], new String[] {run + "-winter", spring}, "TAGS.example/d"), 5)).as("with the text").containsExactly(d);
        assertThat(walk(CampaignFilter.ALL, 1000)).contains(a, b, c, d, e);
    }

    @Test
    void theTextFilterFindsNameOrUrlInAnyCaseAndItsWildcardsAsThemselves() {
        String run = "q" + Long.toHexString(newId());
        long named = dao.insert(newId(), labels("https://shop.example/", null, "Spring SALE " + run)).orElseThrow().id();
        long inUrl = dao.insert(newId(), labels("https://SALE.example/" + run, null, null)).orElseThrow().id();
        long percent = dao.insert(newId(), labels("https://x.example/" + run, null, "100% off " + run)).orElseThrow().id();
        long underscore = dao.insert(newId(), labels("https://x.example/" + run + "/a_b", null, null)).orElseThrow().id();
        long backslash = dao.insert(newId(), labels("https://x.example/" + run, null, "a\\b " + run)).orElseThrow().id();
        long lookalike = dao.insert(newId(), labels("https://x.example/" + run + "/100x-off/axb/aXb", null, "a-b")).orElseThrow().id();

        assertThat(walk(filter(new String[0], new String[0], "sale " + run.toUpperCase(java.util.Locale.ROOT)), 10))
                .containsExactly(named);
        assertThat(walk(filter(new String[0], new String[0], "sale.EXAMPLE/" + run), 10)).containsExactly(inUrl);
        assertThat(walk(filter(new String[0], new String[0], run), 2))
                .containsExactly(lookalike, backslash, underscore, percent, inUrl, named);
        assertThat(walk(filter(new String[0], new String[0], "0% off " + run), 10)).containsExactly(percent);
        assertThat(walk(filter(new String[0], new String[0], run + "/a_b"), 10)).containsExactly(underscore);
        assertThat(walk(filter(new String[0], new String[0], "a\\b " + run), 10)).containsExactly(backslash);
        assertThat(walk(filter(new String[0], new String[0], "%"), 1000)).contains(percent).doesNotContain(named, lookalike);
        assertThat(walk(filter(new String[0], new String[0], "_"), 1000)).contains(underscore).doesNotContain(lookalike);
        assertThat(walk(filter(new String[0], new String[0], "\\"), 1000)).containsOnlyOnce(backslash).doesNotContain(named);
        assertThat(filter(new String[0], new String[0], "50%_\\x").pattern()).isEqualTo("%50\\%\\_\\\\x%");
    }

    /**
     * The tag and text filters, as the list sends them, are index scans on a table of thousands of
     * campaigns with its statistics: the plan PostgreSQL itself prefers, not one forced on it.
     */
    @Test
    void theTagAndTextFiltersAreServedByTheirIndexes() throws Exception {
        try (Connection c = TestPostgres.shared().connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO campaigns (id, redirect_url, name, tags) "
                    + "SELECT 2000000 + g, 'https://bulk.example/landing/' || g, 'Bulk campaign number ' || g, "
                    + "ARRAY['bulk', 'batch-' || (g % 50)] FROM generate_series(1, 5000) g ON CONFLICT DO NOTHING");
            s.execute("ANALYZE campaigns");
            String page = " ORDER BY created_at DESC, id DESC LIMIT 100";
            String keyset = "SELECT * FROM campaigns WHERE (created_at, id) < ('9999-12-31'::timestamptz, 9007199254740991)";
            String tags = plan(s, keyset + filter(new String[0], new String[] {"rare"}, null).conditions()
                    .replace(":tags", "ARRAY['rare']") + page);
            assertThat(tags).as(tags).contains("campaigns_tags_idx").doesNotContain("Seq Scan");
            String text = plan(s, keyset + filter(new String[0], new String[0], "needle").conditions()
                    .replace(":pattern", "'%needle%'") + page);
            assertThat(text).as(text).contains("campaigns_name_trgm_idx", "campaigns_redirect_url_trgm_idx")
                    .doesNotContain("Seq Scan");
            String both = plan(s, keyset + filter(new String[] {"Android"}, new String[] {"rare"}, "needle").conditions()
                    .replace(":platforms", "ARRAY['Android']").replace(":tags", "ARRAY['rare']")
                    .replace(":pattern", "'%needle%'") + page);
            assertThat(both).as(both).doesNotContain("Seq Scan");
            s.execute("DELETE FROM campaigns WHERE id BETWEEN 2000001 AND 2005000");
        }
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
        List<Campaign> firstPage = dao.listPage(CampaignFilter.ALL, END, Long.MAX_VALUE, 1);
        assertThat(firstPage).extracting(Campaign::id).containsExactly(b);
        List<Campaign> secondPage = dao.listPage(CampaignFilter.ALL, firstPage.get(0).createdAt(), b, 1);
        assertThat(secondPage).extracting(Campaign::id).containsExactly(a);
        assertThat(dao.listPage(new CampaignFilter(new String[] {"IPhone"}, new String[0], null), END, Long.MAX_VALUE, 1000))
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
