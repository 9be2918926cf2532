package com.o7tracker.influxdb;

import com.codahale.metrics.MetricRegistry;
import com.o7tracker.settings.Setting;
import io.dropwizard.util.Duration;
import java.util.Optional;

/** The optional stream of applied clicks to InfluxDB 1.x ({@code INFLUXDB_URL} and friends). */
public class InfluxDbFactory {

    /** Empty: no stream. E.g. http://127.0.0.1:8086 */
    @Setting
    private String url = "";

    @Setting
    private String database = "o7tracker";

    @Setting
    private String user = "";

    @Setting
    private String password = "";

    /** Points held for InfluxDB while it is slow or away; past this, new points are dropped (and counted). */
    @Setting
    private int maxBuffered = 1_000_000;

    @Setting
    private Duration timeout = Duration.seconds(5);

    public Optional<InfluxDbStream> build(MetricRegistry metrics) {
        if (url.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new InfluxDbStream(url, database, user, password, maxBuffered, timeout.toJavaDuration(), metrics));
    }
}
