package com.o7tracker.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.o7tracker.notify.Subscriber;
import com.o7tracker.support.TestPostgres;
import com.o7tracker.web.Scope;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The keys' memory on a real PostgreSQL: rows changed behind its back show what it answers from
 * memory (no query) and when it asks PostgreSQL again. The notifications are handed over here as
 * the listener would ({@link Subscriber}).
 */
class ApiKeysTest {

    private static final Subscriber.Listening LISTENING = new Subscriber.Listening() {
        @Override
        public Optional<Instant> heardUntil() {
            return Optional.empty();
        }

        @Override
        public void hearPending() {
        }
    };

    private final Jdbi jdbi = Jdbi.create(TestPostgres.shared().migratedDataSource()).installPlugin(new SqlObjectPlugin());
    private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor();
    private final ApiKeys keys = new ApiKeys(jdbi.onDemand(ApiKeyDao.class), writer);

    @BeforeEach
    void listening() {
        keys.connected(LISTENING);
    }

    @AfterEach
    void stop() {
        writer.shutdownNow();
    }

    private Optional<Caller> check(String key) {
        return keys.check(new Credentials.Key(key));
    }

    /** Deletes the row as SQL by hand would, unheard: the trigger's notification reaches no one here. */
    private void deleteUnheard(long id) {
        jdbi.useHandle(h -> h.execute("DELETE FROM api_keys WHERE id = ?", id));
    }

    @Test
    void aKeyCheckedOnceIsCheckedFromMemoryUntilItsRevocationIsHeard() {
        ApiKey made = keys.create("memory", EnumSet.of(Scope.READ, Scope.POSTBACK));
        Caller caller = check(made.key()).orElseThrow();
        assertThat(caller.keyId()).isEqualTo(made.id());
        assertThat(caller.scopes()).isEqualTo(Set.of(Scope.READ, Scope.POSTBACK));
        assertThat(caller.getName()).isEqualTo("key:" + made.id()).doesNotContain(made.key().substring(3));

        deleteUnheard(made.id());
        assertThat(check(made.key())).as("answered from memory: PostgreSQL not asked").isPresent();
        keys.heard(String.valueOf(made.id()));
        assertThat(check(made.key())).as("forgotten once the revocation is heard").isEmpty();
    }

    @Test
    void whileNotListeningNoKeyIsKeptSoNoRevocationIsMissed() {
        ApiKey made = keys.create("not listening", EnumSet.of(Scope.WRITE));
        assertThat(check(made.key())).isPresent();
        keys.lost();
        assertThat(check(made.key())).as("asked again: what was kept is forgotten").isPresent();
        deleteUnheard(made.id());
        assertThat(check(made.key())).as("asked again, not kept while not listening").isEmpty();
    }

    @Test
    void anUnknownKeyIsRememberedBrieflyAsUnknown() {
        String key = "o7_" + "Q".repeat(43);
        assertThat(check(key)).isEmpty();
        // The same hash given a row behind the memory's back (256 random bits are never made twice):
        // the answer is the remembered one, so a repeated wrong key costs no query.
        jdbi.useHandle(h -> h.execute("INSERT INTO api_keys (name, scopes, key_hash) VALUES ('planted', '{read}', ?)",
                (Object) ApiKeys.sha256(key)));
        try {
            assertThat(check(key)).isEmpty();
        } finally {
            jdbi.useHandle(h -> h.execute("DELETE FROM api_keys WHERE name = 'planted'"));
        }
    }

    @Test
    void aKeysLastUseIsWrittenOnceAMinuteOffTheRequestPath() {
        ApiKey made = keys.create("last use", EnumSet.of(Scope.READ));
        check(made.key());
        assertThat(lastUse(made.id())).as("not on the request path").isNull();
        keys.writeLastUses();
        Instant first = lastUse(made.id());
        assertThat(first).isNotNull();
        check(made.key());
        keys.writeLastUses();
        assertThat(lastUse(made.id())).as("a second use within the minute: not written").isEqualTo(first);
    }

    private Instant lastUse(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT last_used_at FROM api_keys WHERE id = :id").bind("id", id)
                .mapTo(Instant.class).one());
    }

    @Test
    void theKeyIsStoredAsItsHashOnly() {
        ApiKey made = keys.create("hash", EnumSet.of(Scope.READ));
        assertThat(made.key()).matches("o7_[A-Za-z0-9_-]{43}");
        byte[] stored = jdbi.withHandle(h -> h.createQuery("SELECT key_hash FROM api_keys WHERE id = :id")
                .bind("id", made.id()).mapTo(byte[].class).one());
        assertThat(stored).isEqualTo(ApiKeys.sha256(made.key()));
        assertThat(keys.list()).filteredOn(k -> k.id() == made.id()).singleElement()
                .satisfies(k -> assertThat(k.key()).isNull());
    }
}
