package com.o7tracker.influxdb;

import com.o7tracker.settings.Absent;
import com.o7tracker.settings.Setting;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.util.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

/** The optional stream of applied clicks to InfluxDB 1.x ({@code INFLUXDB_URL} and friends). */
public class InfluxDbFactory {

    /** Absent: no stream. E.g. http://127.0.0.1:8086 */
    @Setting
    private String url;

    @Setting
    private String database = "o7tracker";

    /** Absent: no authentication. */
    @Setting
    private String user;

    @Setting
    private String password = "";

    /** Points held for InfluxDB while it is slow or away; past this, new points are dropped (and counted). */
    @Setting
    private int maxBuffered = 1_000_000;

    @Setting
    private Duration timeout = Duration.seconds(5);

    /** The stream, to be managed by the caller; its sender thread is the lifecycle's. */
    public Optional<InfluxDbStream> build(Environment environment) {
        Optional<String> to = getUrl();
        if (to.isEmpty()) {
            return Optional.empty();
        }
        // The scheduled builder for its daemon thread, as the sender always had: one stuck past the
        // stop must not keep the process alive.
        ExecutorService sender = environment.lifecycle().scheduledExecutorService("influxdb-sender", true)
                .threads(1).build();
        return Optional.of(new InfluxDbStream(to.get(), database, getUser(), password, maxBuffered,
                timeout.toJavaDuration(), environment.metrics(), sender));
    }

    public Optional<String> getUrl() {
        return Absent.ifBlank(url);
    }

    public Optional<String> getUser() {
        return Absent.ifBlank(user);
    }
}
