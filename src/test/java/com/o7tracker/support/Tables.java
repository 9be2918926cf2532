package com.o7tracker.support;

import java.sql.Connection;
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

    public static long sumClicks() {
        try (Connection c = TestPostgres.shared().connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT coalesce(sum(click_count), 0) FROM campaigns")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
