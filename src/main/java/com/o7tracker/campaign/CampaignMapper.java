package com.o7tracker.campaign;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

public class CampaignMapper implements RowMapper<Campaign> {

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
                List.of((String[]) rs.getArray("tags").getArray()));
    }

    private static List<Platform> platforms(Array array) throws SQLException {
        List<Platform> platforms = new ArrayList<>();
        for (Object name : (Object[]) array.getArray()) {
            Platform.parse((String) name).ifPresent(platforms::add);
        }
        return List.copyOf(platforms);
    }
}
