package com.o7tracker.conversion;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.transaction.Transaction;

/**
 * Counts conversions exactly once (migration V016): a conversion's row and its campaign's totals
 * are written in one transaction, under the campaign's row lock, so that however often and however
 * concurrently a partner sends the same (click id, event), it is counted once and is in the totals
 * once. What a conversion is answered is decided in that transaction too: counted before (a
 * duplicate, whatever happened to the campaign since), the campaign deleted, or the click's
 * conversion window passed (by PostgreSQL's clock, the one every instance shares).
 */
public interface ConversionStore {

    /** What became of a conversion. */
    sealed interface Outcome {
    }

    /**
     * Counted now, at {@code acceptedAt} (PostgreSQL's clock; unique within the campaign, whose
     * conversions are counted one at a time under its row lock), leaving the campaign's totals at
     * {@code totals}.
     */
    record Counted(long campaignId, Instant acceptedAt, Totals totals) implements Outcome {
    }

    /**
     * A campaign's totals as a conversion left them: all its conversions, those of the conversion's
     * event, and the revenue in the conversion's currency (null when it had none), exact.
     */
    record Totals(long conversionCount, long eventCount, BigDecimal currencyRevenue) {
    }

    /** Counted before: nothing changed. */
    record Duplicate(long campaignId) implements Outcome {
    }

    /** Not counted, and why, in words for the partner. */
    record NotAttributed(long campaignId, String reason) implements Outcome {
    }

    String DELETED = "The campaign of this click id has been deleted.";
    String OUTSIDE_WINDOW = "The click is older than its campaign's conversion window.";

    /**
     * Counts {@code conversion} unless it was counted before, its campaign is gone or its window
     * has passed. A PostgreSQL failure throws and leaves nothing written: sending the conversion
     * again counts it once (a commit whose answer was lost shows as a duplicate then).
     */
    @Transaction
    default Outcome record(Conversion conversion) {
        if (campaignOf(conversion.clickId(), conversion.event()).isPresent()) {
            return new Duplicate(conversion.campaignId());
        }
        Optional<Boolean> withinWindow = lockWindow(conversion.campaignId(), Timestamp.from(conversion.clickedAt()));
        if (withinWindow.isEmpty()) {
            return new NotAttributed(conversion.campaignId(), DELETED);
        }
        if (!withinWindow.get()) {
            return new NotAttributed(conversion.campaignId(), OUTSIDE_WINDOW);
        }
        // Every writer of this campaign's conversions holds its row lock from here: no other
        // transaction can insert the same (click id, event) meanwhile (a click id names one campaign).
        Optional<Instant> acceptedAt = insert(conversion.clickId(), conversion.event(), conversion.campaignId(),
                conversion.platform().canonical(), conversion.bot(), conversion.country(),
                Timestamp.from(conversion.clickedAt()), conversion.revenue(), conversion.currency());
        if (acceptedAt.isEmpty()) {
            return new Duplicate(conversion.campaignId());
        }
        Totals totals = addToTotals(conversion.campaignId(), conversion.event(), conversion.revenue(), conversion.currency());
        return new Counted(conversion.campaignId(), acceptedAt.get(), totals);
    }

    @SqlQuery("SELECT campaign_id FROM conversions WHERE click_id = :clickId AND event = :event")
    Optional<Long> campaignOf(@Bind("clickId") String clickId, @Bind("event") String event);

    /**
     * Locks the campaign's row (as a flush's counter update does: never its key) and tells whether
     * a click of {@code clickedAt} is within its conversion window now; empty if there is no campaign.
     */
    @SqlQuery("""
            SELECT clock_timestamp() <= CAST(:clickedAt AS timestamptz) + make_interval(days => conversion_window_days)
            FROM campaigns WHERE id = :id
            FOR NO KEY UPDATE
            """)
    Optional<Boolean> lockWindow(@Bind("id") long campaignId, @Bind("clickedAt") Timestamp clickedAt);

    /** When the conversion was counted; empty if it was counted before. */
    @SqlQuery("""
            INSERT INTO conversions (click_id, event, campaign_id, platform, bot, country, clicked_at, revenue, currency)
            VALUES (:clickId, :event, :campaignId, :platform, :bot, :country, :clickedAt, :revenue, :currency)
            ON CONFLICT (click_id, event) DO NOTHING
            RETURNING accepted_at
            """)
    Optional<Instant> insert(@Bind("clickId") String clickId, @Bind("event") String event, @Bind("campaignId") long campaignId,
               @Bind("platform") String platform, @Bind("bot") boolean bot, @Bind("country") String country,
               @Bind("clickedAt") Timestamp clickedAt, @Bind("revenue") BigDecimal revenue,
               @Bind("currency") String currency);

    /**
     * One more of {@code event}, and {@code revenue} more of {@code currency} when there is one;
     * the totals this leaves.
     */
    @SqlQuery("""
            UPDATE campaigns
            SET conversion_count = conversion_count + 1,
                conversions = jsonb_set(conversions, ARRAY[CAST(:event AS text)],
                                        to_jsonb(coalesce(CAST(conversions ->> :event AS bigint), 0) + 1)),
                revenue = CASE WHEN CAST(:currency AS text) IS NULL THEN revenue
                               ELSE jsonb_set(revenue, ARRAY[CAST(:currency AS text)],
                                              to_jsonb(coalesce(CAST(revenue ->> :currency AS numeric), 0)
                                                       + CAST(:revenue AS numeric))) END
            WHERE id = :id
            RETURNING conversion_count, CAST(conversions ->> :event AS bigint) AS event_count,
                      CAST(revenue ->> :currency AS numeric) AS currency_revenue
            """)
    @RegisterConstructorMapper(Totals.class)
    Totals addToTotals(@Bind("id") long campaignId, @Bind("event") String event, @Bind("revenue") BigDecimal revenue,
                     @Bind("currency") String currency);
}
