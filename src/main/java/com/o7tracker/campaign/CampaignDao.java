package com.o7tracker.campaign;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.AllowUnusedBindings;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.Define;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The campaigns table. Every change gets a new version from PostgreSQL's triggers (a deletion
 * leaves a tombstone with one), so caches keep the newest state whatever order they hear of
 * changes in. Every change of a target, by this service or any other client, also makes
 * PostgreSQL send a campaign_changed notification (a trigger, migration V007) in the
 * changing transaction, so each instance re-reads the campaign the moment the change commits.
 */
@RegisterRowMapper(CampaignMapper.class)
public interface CampaignDao {

    @SqlQuery("""
            INSERT INTO campaigns (id, redirect_url, platforms, platform_urls, forward_query, name, tags,
                                   conversion_window_days)
            VALUES (:id, :redirectUrl, :platforms, CAST(:platformUrls AS jsonb), :forwardQuery,
                    nullif(CAST(:name AS text), ''), :tags, :conversionWindowDays)
            ON CONFLICT (id) DO NOTHING
            RETURNING *
            """)
    Optional<Campaign> insertIfAbsent(@Bind("id") long id, @Bind("redirectUrl") String redirectUrl,
                                      @Bind("platforms") String[] platforms, @Bind("platformUrls") String platformUrls,
                                      @Bind("forwardQuery") boolean forwardQuery, @Bind("name") String name,
                                      @Bind("tags") String[] tags, @Bind("conversionWindowDays") int conversionWindowDays);

    @SqlQuery("SELECT * FROM campaigns WHERE id = :id")
    Optional<Campaign> findById(@Bind("id") long id);

    /**
     * Where a click on the campaign goes and the version of that state: the campaign's URLs and
     * version, or, with no campaign, a null URL and the version of its deletion (0 if it never
     * existed).
     */
    @SqlQuery("""
            SELECT k.id, c.redirect_url, c.platform_urls, coalesce(c.forward_query, false) AS forward_query,
                   coalesce(c.version, t.version, 0) AS version
            FROM (SELECT CAST(:id AS bigint) AS id) AS k
            LEFT JOIN campaigns c ON c.id = k.id
            LEFT JOIN campaign_tombstones t ON t.id = k.id
            """)
    @RegisterRowMapper(CampaignTarget.Mapper.class)
    CampaignTarget findTarget(@Bind("id") long id);

    /** Where a click on each campaign goes, in id order after {@code afterId}: for filling caches in pages. */
    @SqlQuery("""
            SELECT id, redirect_url, platform_urls, forward_query, version FROM campaigns
            WHERE id > :afterId ORDER BY id LIMIT :limit
            """)
    @RegisterRowMapper(CampaignTarget.Mapper.class)
    List<CampaignTarget> targetsAfter(@Bind("afterId") long afterId, @Bind("limit") int limit);

    /** The campaigns deleted after {@code since} (a null redirect URL each, with the deletion's version). */
    @SqlQuery("""
            SELECT id, NULL AS redirect_url, NULL AS platform_urls, false AS forward_query, version
            FROM campaign_tombstones WHERE deleted_at > :since
            """)
    @RegisterRowMapper(CampaignTarget.Mapper.class)
    List<CampaignTarget> deletedSince(@Bind("since") Instant since);

    /**
     * A campaign's id, redirect URL (null: none), platform URLs (a jsonb object as text, or null),
     * query forwarding, and the version of that state.
     */
    record CampaignTarget(long id, String redirectUrl, String platformUrls, boolean forwardQuery, long version) {

        /** By column name, without reflection on parameter names (which instrumented classes may lose). */
        public static final class Mapper implements RowMapper<CampaignTarget> {
            @Override
            public CampaignTarget map(ResultSet rs, StatementContext ctx) throws SQLException {
                return new CampaignTarget(rs.getLong("id"), rs.getString("redirect_url"), rs.getString("platform_urls"),
                        rs.getBoolean("forward_query"), rs.getLong("version"));
            }
        }
    }

    /**
     * Newest first, strictly after the keyset cursor (createdAt, id), keeping the campaigns that meet
     * {@code conditions}: fixed SQL text from {@link CampaignFilter#conditions()}, over the values bound
     * here (those it does not name are not used).
     */
    @SqlQuery("""
            SELECT * FROM campaigns
            WHERE (created_at, id) < (:createdAt, :id)<conditions>
            ORDER BY created_at DESC, id DESC
            LIMIT :limit
            """)
    @AllowUnusedBindings
    List<Campaign> listPageWhere(@Define("conditions") String conditions, @Bind("platforms") String[] platforms,
                                 @Bind("tags") String[] tags, @Bind("pattern") String pattern,
                                 @Bind("createdAt") Instant createdAt, @Bind("id") long id, @Bind("limit") int limit);

    /** A page, newest first, strictly after the keyset cursor (createdAt, id), of the campaigns the filter keeps. */
    default List<Campaign> listPage(CampaignFilter filter, Instant createdAt, long id, int limit) {
        return listPageWhere(filter.conditions(), filter.platforms(), filter.tags(), filter.pattern(), createdAt, id, limit);
    }

    @SqlQuery("""
            UPDATE campaigns
            SET redirect_url = coalesce(:redirectUrl, redirect_url),
                platforms = coalesce(:platforms, platforms),
                platform_urls = (CASE WHEN :clearUrls THEN '{}'::jsonb ELSE platform_urls END
                                 || CAST(:setUrls AS jsonb)) - CAST(:removeUrls AS text[]),
                forward_query = coalesce(:forwardQuery, forward_query),
                name = CASE WHEN CAST(:name AS text) IS NULL THEN name ELSE nullif(CAST(:name AS text), '') END,
                tags = coalesce(CAST(:tags AS text[]), tags),
                conversion_window_days = coalesce(CAST(:conversionWindowDays AS integer), conversion_window_days),
                updated_at = clock_timestamp()
            WHERE id = :id
            RETURNING *
            """)
    Optional<Campaign> updateRow(@Bind("id") long id, @Bind("redirectUrl") String redirectUrl,
                                 @Bind("platforms") String[] platforms, @Bind("clearUrls") boolean clearUrls,
                                 @Bind("setUrls") String setUrls, @Bind("removeUrls") String[] removeUrls,
                                 @Bind("forwardQuery") Boolean forwardQuery, @Bind("name") String name,
                                 @Bind("tags") String[] tags, @Bind("conversionWindowDays") Integer conversionWindowDays);

    @SqlUpdate("DELETE FROM campaigns WHERE id = :id")
    int deleteRow(@Bind("id") long id);

    /**
     * The key that signs the campaign states the caches write to memcached: the stored one, or
     * {@code fresh} if there was none (empty when another instance stored one at the same moment:
     * ask again).
     */
    @SqlQuery("""
            WITH fresh AS (
                INSERT INTO memcached_signing_key (id, secret) VALUES (1, :fresh)
                ON CONFLICT (id) DO NOTHING RETURNING secret)
            SELECT secret FROM fresh UNION ALL SELECT secret FROM memcached_signing_key WHERE id = 1
            LIMIT 1
            """)
    Optional<byte[]> memcachedSigningKey(@Bind("fresh") byte[] fresh);

    /**
     * Creates the campaign, or returns empty if the id is taken (the caller draws another). The
     * trigger's notification also tells the instances that cached a click on the id as unknown.
     */
    default Optional<Campaign> insert(long id, CampaignRequest request) {
        CampaignRequest.UrlChanges urls = request.platformUrls();
        return insertIfAbsent(id, request.redirectUrl(),
                request.platforms() == null ? new String[0] : request.platforms(),
                urls == null ? "{}" : urls.setJson(), Boolean.TRUE.equals(request.forwardQuery()),
                request.name() == null ? "" : request.name(),
                request.tags() == null ? new String[0] : request.tags(),
                request.conversionWindowDays() == null ? Campaign.DEFAULT_CONVERSION_WINDOW_DAYS
                        : request.conversionWindowDays());
    }

    /** Replaces the fields given (null keeps the stored value; a name of "" clears it) and moves updated_at. */
    default Optional<Campaign> update(long id, CampaignRequest request) {
        CampaignRequest.UrlChanges urls = request.platformUrls() == null
                ? CampaignRequest.UrlChanges.KEEP : request.platformUrls();
        return updateRow(id, request.redirectUrl(), request.platforms(), urls.clear(), urls.setJson(),
                urls.removeKeys(), request.forwardQuery(), request.name(), request.tags(), request.conversionWindowDays());
    }

    default boolean delete(long id) {
        return deleteRow(id) == 1;
    }
}
