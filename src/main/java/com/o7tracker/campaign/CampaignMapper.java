package com.o7tracker.campaign;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

public class CampaignMapper implements RowMapper<Campaign> {

    /** Numbers as they are stored: a revenue of 0.1 + 0.2 reads 0.3, not a double's 0.30000000000000004. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    @Override
    public Campaign map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Campaign(
                rs.getLong("id"),
                rs.getString("redirect_url"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(),
                platforms(rs.getArray("platforms")),
                rs.getLong("click_count"),
                rs.getLong("android_click_count"),
                rs.getLong("iphone_click_count"),
                rs.getLong("windowsphone_click_count"),
                rs.getLong("other_click_count"),
                rs.getLong("bot_click_count"),
                PlatformUrls.parse(rs.getString("platform_urls")),
                rs.getBoolean("forward_query"),
                rs.getString("name"),
                List.of((String[]) rs.getArray("tags").getArray()),
                rs.getInt("conversion_window_days"),
                rs.getLong("conversion_count"),
                counts(rs.getString("conversions")),
                amounts(rs.getString("revenue")));
    }

    /** A jsonb object of counts ({@code {"install": 12}}), by key. */
    static Map<String, Long> counts(String json) throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        object(json).fields().forEachRemaining(e -> counts.put(e.getKey(), e.getValue().longValue()));
        return counts;
    }

    /** A jsonb object of exact amounts ({@code {"EUR": 14.97}}), by key, as decimal strings ({@code "14.97"}). */
    static Map<String, String> amounts(String json) throws SQLException {
        Map<String, String> amounts = new TreeMap<>();
        object(json).fields().forEachRemaining(e -> amounts.put(e.getKey(), e.getValue().decimalValue().toPlainString()));
        return amounts;
    }

    private static JsonNode object(String json) throws SQLException {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new SQLException("not a JSON object: " + json, e);
        }
    }

    private static List<Platform> platforms(Array array) throws SQLException {
        List<Platform> platforms = new ArrayList<>();
        for (Object name : (Object[]) array.getArray()) {
            Platform.parse((String) name).ifPresent(platforms::add);
        }
        return List.copyOf(platforms);
    }
}
