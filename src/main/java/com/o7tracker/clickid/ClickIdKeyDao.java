package com.o7tracker.clickid;

import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.jdbi.v3.sqlobject.transaction.Transaction;

/** The keys that sign click ids (migration V014). */
interface ClickIdKeyDao {

    /**
     * Stores {@code fresh} as the current key unless there is one; concurrent first starts store one
     * (the partial unique index, ON CONFLICT), as the memcached signing key's first start does.
     */
    @SqlUpdate("""
            /* ClickIdKeyDao.createFirst */
            INSERT INTO click_id_keys (secret)
            SELECT :fresh WHERE NOT EXISTS (SELECT 1 FROM click_id_keys WHERE retired_at IS NULL)
            ON CONFLICT DO NOTHING
            """)
    int createFirst(byte[] fresh);

    /** Deletes the keys that stopped signing more than {@code days} days ago. */
    @SqlUpdate("""
            /* ClickIdKeyDao.dropRetired */
            DELETE FROM click_id_keys WHERE retired_at < now() - make_interval(days => :days)
            """)
    int dropRetired(int days);

    @SqlQuery("""
            /* ClickIdKeyDao.all */
            SELECT id, secret, created_at, retired_at FROM click_id_keys ORDER BY id
            """)
    @RegisterConstructorMapper(ClickIdKeys.Row.class)
    List<ClickIdKeys.Row> all();

    /**
     * Retires the current key and stores {@code fresh} as the next one; its id. Rotations wait for
     * each other (the table's lock), so two at once make two keys in turn, never two current ones.
     */
    @Transaction
    default int rotate(byte[] fresh) {
        lock();
        retireCurrent();
        return insertCurrent(fresh);
    }

    @SqlUpdate("LOCK TABLE click_id_keys IN SHARE ROW EXCLUSIVE MODE")
    void lock();

    @SqlUpdate("UPDATE click_id_keys SET retired_at = now() WHERE retired_at IS NULL")
    int retireCurrent();

    @SqlQuery("INSERT INTO click_id_keys (secret) VALUES (:fresh) RETURNING id")
    int insertCurrent(byte[] fresh);
}
