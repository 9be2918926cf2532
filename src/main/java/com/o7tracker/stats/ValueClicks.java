package com.o7tracker.stats;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The clicks of one value of a dimension over a range (a breakdown's row), in the campaign
 * counters' names, as a {@link Bucket} has them; {@code clickCount} counts humans only.
 * {@code conversionCount}: the conversions accepted in the range whose click was of this country,
 * in a breakdown by country only (null, left out, in the others: a click id carries no other dimension).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ValueClicks(String value, long clickCount, long androidClickCount, long iphoneClickCount,
                          long windowsphoneClickCount, long otherClickCount, long botClickCount,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Long conversionCount) {

    /** The counters in {@link com.o7tracker.campaign.Counters#NAMES} order. */
    public long[] counters() {
        return new long[] {clickCount, androidClickCount, iphoneClickCount, windowsphoneClickCount, otherClickCount,
            botClickCount};
    }

    /** By column name, as StatsDao's other rows; {@code conversions} null where they are not told. */
    public static final class Mapper implements RowMapper<ValueClicks> {
        @Override
        public ValueClicks map(ResultSet rs, StatementContext ctx) throws SQLException {
            long conversions = rs.getLong("conversions");
            Long told = rs.wasNull() ? null : conversions;
            return new ValueClicks(rs.getString("value"), rs.getLong("clicks"), rs.getLong("android"), rs.getLong("iphone"),
                    rs.getLong("windowsphone"), rs.getLong("other"), rs.getLong("bot"), told);
        }
    }
}
