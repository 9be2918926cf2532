package com.o7tracker.auth;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * An API key as listed: never the key, nor its hash. {@code key} is the key itself, in the answer
 * that makes it only (null, and left out, everywhere else).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ApiKey(long id, String name, List<String> scopes, Instant createdAt,
                     @JsonInclude(JsonInclude.Include.ALWAYS) Instant lastUsedAt,
                     @JsonInclude(JsonInclude.Include.NON_NULL) String key) {

    ApiKey withKey(String key) {
        return new ApiKey(id, name, scopes, createdAt, lastUsedAt, key);
    }

    /** By column name, without reflection on parameter names (which instrumented classes may lose). */
    public static final class Mapper implements RowMapper<ApiKey> {
        @Override
        public ApiKey map(ResultSet rs, StatementContext ctx) throws SQLException {
            OffsetDateTime lastUsed = rs.getObject("last_used_at", OffsetDateTime.class);
            return new ApiKey(rs.getLong("id"), rs.getString("name"), List.of((String[]) rs.getArray("scopes").getArray()),
                    rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                    lastUsed == null ? null : lastUsed.toInstant(), null);
        }
    }
}
