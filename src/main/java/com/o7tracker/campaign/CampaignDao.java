package com.o7tracker.campaign;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.jdbi.v3.sqlobject.transaction.Transaction;

/**
 * The campaigns table. Every change gets a new version from PostgreSQL's triggers (a deletion
 * leaves a tombstone with one),
 * so caches keep the newest state whatever order they hear of changes in. Every change also sends a {@code campaign_changed} notification in its
 * own transaction, so each instance drops its cached copy the moment the change commits.
 */
@RegisterRowMapper(CampaignMapper.class)
public interface CampaignDao {

    String CHANGE_CHANNEL = "campaign_changed";

    @SqlQuery("""
            INSERT INTO campaigns (id, redirect_url, platforms)
            VALUES (:id, :redirectUrl, :platforms)
            ON CONFLICT (id) DO NOTHING
            RETURNING *
            """)
    Optional<Campaign> insertIfAbsent(@Bind("id") long id, @Bind("redirectUrl") String redirectUrl,
                                      @Bind("platforms") String[] platforms);

    @SqlQuery("SELECT * FROM campaigns WHERE id = :id")
    Optional<Campaign> findById(@Bind("id") long id);

    /**
     * Where a click on the campaign goes and the version of that state: the campaign's redirect URL
     * and version, or, with no campaign, a null URL and the version of its deletion (0 if it never
     * existed).
     */
    @SqlQuery("""
            SELECT k.id, c.redirect_url, coalesce(c.version, t.version, 0) AS version
            FROM (SELECT CAST(:id AS bigint) AS id) AS k
            LEFT JOIN campaigns c ON c.id = k.id
            LEFT JOIN campaign_tombstones t ON t.id = k.id
            """)
    @RegisterConstructorMapper(CampaignTarget.class)
    CampaignTarget findTarget(@Bind("id") long id);

    /** Where a click on each campaign goes, in id order after {@code afterId}: for filling caches in pages. */
    @SqlQuery("SELECT id, redirect_url, version FROM campaigns WHERE id > :afterId ORDER BY id LIMIT :limit")
    @RegisterConstructorMapper(CampaignTarget.class)
    List<CampaignTarget> targetsAfter(@Bind("afterId") long afterId, @Bind("limit") int limit);

    /** The campaigns deleted after {@code since} (a null redirect URL each, with the deletion's version). */
    @SqlQuery("SELECT id, NULL AS redirect_url, version FROM campaign_tombstones WHERE deleted_at > :since")
    @RegisterConstructorMapper(CampaignTarget.class)
    List<CampaignTarget> deletedSince(@Bind("since") Instant since);

    /** A campaign's id, redirect URL (null: none) and the version of that state. */
    record CampaignTarget(long id, String redirectUrl, long version) {
    }

    /** Newest first, strictly after the keyset cursor (createdAt, id). */
    @SqlQuery("""
            SELECT * FROM campaigns
            WHERE (created_at, id) < (:createdAt, :id)
            ORDER BY created_at DESC, id DESC
            LIMIT :limit
            """)
    List<Campaign> listPage(@Bind("createdAt") Instant createdAt, @Bind("id") long id, @Bind("limit") int limit);

    /** As {@link #listPage}, keeping the campaigns that target any of {@code platforms}. */
    @SqlQuery("""
            SELECT * FROM campaigns
            WHERE platforms && CAST(:platforms AS text[]) AND (created_at, id) < (:createdAt, :id)
            ORDER BY created_at DESC, id DESC
            LIMIT :limit
            """)
    List<Campaign> listPageTargeting(@Bind("platforms") String[] platforms, @Bind("createdAt") Instant createdAt,
                                     @Bind("id") long id, @Bind("limit") int limit);

    @SqlQuery("""
            UPDATE campaigns
            SET redirect_url = coalesce(:redirectUrl, redirect_url),
                platforms = coalesce(:platforms, platforms),
                updated_at = clock_timestamp()
            WHERE id = :id
            RETURNING *
            """)
    Optional<Campaign> updateRow(@Bind("id") long id, @Bind("redirectUrl") String redirectUrl,
                                 @Bind("platforms") String[] platforms);

    @SqlUpdate("DELETE FROM campaigns WHERE id = :id")
    int deleteRow(@Bind("id") long id);


    @SqlQuery("SELECT pg_notify('" + CHANGE_CHANNEL + "', :id::text)")
    String notifyChanged(@Bind("id") long id);

    /** Creates the campaign, or returns empty if the id is taken (the caller draws another). */
    @Transaction
    default Optional<Campaign> insert(long id, String redirectUrl, String[] platforms) {
        Optional<Campaign> created = insertIfAbsent(id, redirectUrl, platforms);
        // A click on a not-yet-existing id may have been cached as unknown.
        created.ifPresent(c -> notifyChanged(id));
        return created;
    }

    /** Replaces the fields given (null keeps the stored value) and moves updated_at. */
    @Transaction
    default Optional<Campaign> update(long id, String redirectUrl, String[] platforms) {
        Optional<Campaign> updated = updateRow(id, redirectUrl, platforms);
        updated.ifPresent(c -> notifyChanged(id));
        return updated;
    }

    @Transaction
    default boolean delete(long id) {
        boolean deleted = deleteRow(id) == 1;
        if (deleted) {
            notifyChanged(id);
        }
        return deleted;
    }
}
