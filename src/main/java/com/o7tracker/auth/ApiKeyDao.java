package com.o7tracker.auth;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The api_keys table (migration V015): a key's SHA-256 hash, never the key. A deletion or a change
 * of scopes makes PostgreSQL notify every instance (its trigger), which forgets the key.
 */
@RegisterRowMapper(ApiKey.Mapper.class)
public interface ApiKeyDao {

    @SqlQuery("""
            INSERT INTO api_keys (name, scopes, key_hash) VALUES (:name, :scopes, :hash)
            RETURNING id, name, scopes, created_at, last_used_at
            """)
    ApiKey insert(@Bind("name") String name, @Bind("scopes") String[] scopes, @Bind("hash") byte[] hash);

    @SqlQuery("SELECT id, name, scopes, created_at, last_used_at FROM api_keys ORDER BY id")
    List<ApiKey> list();

    @SqlUpdate("DELETE FROM api_keys WHERE id = :id")
    int delete(@Bind("id") long id);

    @SqlQuery("SELECT id, name, scopes, created_at, last_used_at FROM api_keys WHERE key_hash = :hash")
    Optional<ApiKey> findByHash(@Bind("hash") byte[] hash);

    /** Each key's last use, where it is later than the one stored (instances write theirs independently). */
    @SqlBatch("UPDATE api_keys SET last_used_at = :at WHERE id = :id AND (last_used_at IS NULL OR last_used_at < :at)")
    void used(@Bind("id") List<Long> ids, @Bind("at") List<Instant> ats);
}
