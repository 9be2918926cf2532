package com.o7tracker.geo;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.maxmind.db.CHMCache;
import com.maxmind.db.Reader;
import io.dropwizard.lifecycle.Managed;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A country database file in the MaxMind DB format, read whole into memory: a lookup is a walk of
 * an in-memory tree (decoded records cached), never a file or network access. The file is looked
 * at every {@code checkEvery}: a new one moved or copied into place is read and used from then on,
 * without a restart; one that does not read (damaged, half copied) is logged once and the one in
 * use is kept, until the file changes again.
 */
public final class CountryDatabase implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(CountryDatabase.class);

    private final Path file;
    private final ScheduledExecutorService checks;
    private final long checkEveryMillis;
    private final Meter reloads;
    private final Meter failures;
    private volatile Loaded loaded;
    /** The file as last tried, read or not: a failed one is not tried again until it changes. Checks' thread only. */
    private Version tried;

    private record Loaded(Reader reader, Version version, String type) {
    }

    /** What tells one file from the next: moved into place (another inode) or written over (time, size). */
    private record Version(Object inode, long modified, long size) {

        static Version of(Path file) throws IOException {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new Version(attributes.fileKey(), attributes.lastModifiedTime().toMillis(), attributes.size());
        }
    }

    private CountryDatabase(Path file, Loaded loaded, ScheduledExecutorService checks, long checkEveryMillis,
                            MetricRegistry metrics) {
        this.file = file;
        this.loaded = loaded;
        this.tried = loaded.version();
        this.checks = checks;
        this.checkEveryMillis = checkEveryMillis;
        this.reloads = metrics.meter("geo.database.reloads");
        this.failures = metrics.meter("geo.database.failures");
    }

    /**
     * Reads {@code file}; a missing or unreadable one is an IOException saying which and why (a
     * start-up error: a service told to use a database does not start without one).
     */
    public static CountryDatabase open(Path file, ScheduledExecutorService checks, long checkEveryMillis,
                                       MetricRegistry metrics) throws IOException {
        return new CountryDatabase(file, load(file), checks, checkEveryMillis, metrics);
    }

    private static Loaded load(Path file) throws IOException {
        Version version = Version.of(file);
        Reader reader;
        try {
            reader = new Reader(file.toFile(), Reader.FileMode.MEMORY, new CHMCache());
        } catch (IOException | RuntimeException e) {
            throw new IOException("The country database " + file + " does not read as a MaxMind DB file (" + e + ")", e);
        }
        String type = reader.getMetadata().databaseType();
        return new Loaded(reader, version, type == null ? "unnamed" : type);
    }

    /** The country code the database has for {@code address}, unchecked; empty when it has none. */
    public Optional<String> lookup(InetAddress address) {
        try {
            CountryRecord record = loaded.reader().get(address, CountryRecord.class);
            return record == null ? Optional.empty() : record.code();
        } catch (IOException | RuntimeException e) {
            // A network the file describes wrongly: that address has no country, the click still counts.
            failures.mark();
            return Optional.empty();
        }
    }

    /** The kind of database in use (its metadata's database_type), e.g. GeoLite2-Country. */
    public String type() {
        return loaded.type();
    }

    @Override
    public void start() {
        checks.scheduleWithFixedDelay(this::check, checkEveryMillis, checkEveryMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        // The lifecycle shuts the checks' executor down.
    }

    /** Reads the file again if it changed since it was last tried. */
    void check() {
        Version now;
        try {
            now = Version.of(file);
        } catch (IOException e) {
            if (tried != null) {
                LOG.warn("The country database {} is gone ({}); the one read before stays in use", file, e.toString());
                failures.mark();
                tried = null;
            }
            return;
        }
        if (Objects.equals(now, tried)) {
            return;
        }
        tried = now;
        try {
            Loaded next = load(file);
            loaded = next; // the old reader holds memory only, no file: the garbage collector takes it
            reloads.mark();
            LOG.info("Country database {} read again ({})", file, next.type());
        } catch (IOException e) {
            failures.mark();
            LOG.error("{}; the one read before stays in use until the file changes again", e.getMessage());
        }
    }
}
