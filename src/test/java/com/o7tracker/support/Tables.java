package com.o7tracker.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Reads PostgreSQL directly, past the service, for what tests assert about stored state. */
public final class Tables {

    private Tables() {
    }

    /** Every campaign row, every column, in id order. */
    public static List<String> campaigns() {
        List<String> rows = new ArrayList<>();
        try (Connection c = TestPostgres.shared().connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT c::text FROM campaigns c ORDER BY id")) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }

    /** {click_count, android, iphone, windowsphone, other, bot} of one campaign. */
    public static long[] counters(long id) {
        try (Connection c = TestPostgres.shared().connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT click_count, android_click_count, iphone_click_count, "
                     + "windowsphone_click_count, other_click_count, bot_click_count FROM campaigns WHERE id = " + id)) {
            if (!rs.next()) {
                throw new IllegalStateException("no campaign " + id);
            }
            long[] counters = new long[6];
            for (int i = 0; i < counters.length; i++) {
                counters[i] = rs.getLong(i + 1);
            }
            return counters;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A campaign's minute buckets summed and laid out as {@link #counters}: {click_count, android,
     * iphone, windowsphone, other, bot}. Equal to the counters whenever every click is applied.
     */
    public static long[] minuteTotals(long id) {
        return totals("click_minutes WHERE campaign_id = " + id);
    }

    /**
     * A campaign's rows of one dimension (click_dimension_hours) summed and laid out as
     * {@link #counters}. Equal to the counters whenever every click since dimensions were recorded is applied.
     */
    public static long[] dimensionTotals(long id, String dimension) {
        return totals("click_dimension_hours WHERE campaign_id = " + id + " AND dimension = '" + dimension + "'");
    }

    /** The bucket columns of {@code rows} (a table and its condition) summed, laid out as {@link #counters}. */
    private static long[] totals(String rows) {
        try (Connection c = TestPostgres.shared().connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT coalesce(sum(android + iphone + windowsphone + other), 0), "
                     + "coalesce(sum(android), 0), coalesce(sum(iphone), 0), coalesce(sum(windowsphone), 0), "
                     + "coalesce(sum(other), 0), "
                     + "coalesce(sum(bot_android + bot_iphone + bot_windowsphone + bot_other), 0) FROM " + rows)) {
            rs.next();
            long[] totals = new long[6];
            for (int i = 0; i < totals.length; i++) {
                totals[i] = rs.getLong(i + 1);
            }
            return totals;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A campaign's clicks, human and bot, with {@code value} in {@code dimension}, over all hours. */
    public static long dimensionClicks(long id, String dimension, String value) {
        try (Connection c = TestPostgres.shared().connect();
             PreparedStatement s = c.prepareStatement("SELECT coalesce(sum(android + iphone + windowsphone + other"
                     + " + bot_android + bot_iphone + bot_windowsphone + bot_other), 0) FROM click_dimension_hours"
                     + " WHERE campaign_id = ? AND dimension = ? AND value = ?")) {
            s.setLong(1, id);
            s.setString(2, dimension);
            s.setString(3, value);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static long sumClicks() {
        return number("SELECT coalesce(sum(click_count), 0) FROM campaigns");
    }

    /** Runs {@code sql} (a write behind the service's back) in a connection of its own. */
    public static void execute(String sql) {
        try (Connection c = TestPostgres.shared().connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The one text {@code sql} answers. */
    public static String text(String sql) {
        try (Connection c = TestPostgres.shared().connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The one number {@code sql} answers (a count, a sum). */
    public static long number(String sql) {
        try (Connection c = TestPostgres.shared().connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
