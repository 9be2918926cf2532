package com.o7tracker.cache;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.o7tracker.campaign.CampaignDao;
import com.o7tracker.campaign.Destination;
import com.o7tracker.campaign.Platform;
import com.o7tracker.campaign.PlatformUrls;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the click path needs of a campaign, in the state of one version: where a click of each
 * platform goes, made ready once, when it is cached ({@link Destination}; null for a URL no
 * redirect can carry). With a null redirect URL: no campaign (deleted at {@code version}, or never
 * created if 0).
 */
public final class Target {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    /** How far ahead of this machine's clock another instance's may be. */
    private static final long CLOCK_ALLOWANCE_SECONDS = 60;

    private final String redirectUrl;
    private final Map<String, String> platformUrls;
    private final boolean forwardQuery;
    private final long version;
    /** The redirect URL, ready (null: no campaign, or a URL no redirect can carry). */
    private final Destination redirect;
    /** By platform code: the platform's URL if it has one, else the redirect URL. */
    private final Destination[] destinations = new Destination[Platform.values().length];

    private Target(String redirectUrl, Map<String, String> platformUrls, boolean forwardQuery, long version) {
        this.redirectUrl = redirectUrl;
        this.platformUrls = Map.copyOf(platformUrls);
        this.forwardQuery = forwardQuery;
        this.version = version;
        this.redirect = redirectUrl == null ? null : Destination.of(redirectUrl, forwardQuery);
        if (redirectUrl != null) {
            for (Platform platform : Platform.values()) {
                String url = platformUrls.get(platform.canonical());
                destinations[platform.code()] = url == null ? redirect : Destination.of(url, forwardQuery);
            }
        }
    }

    public static Target of(String redirectUrl, Map<String, String> platformUrls, boolean forwardQuery, long version) {
        return new Target(redirectUrl, platformUrls == null ? Map.of() : platformUrls, forwardQuery, version);
    }

    public static Target of(String redirectUrl, long version) {
        return of(redirectUrl, Map.of(), false, version);
    }

    static Target of(CampaignDao.CampaignTarget row) {
        return of(row.redirectUrl(), PlatformUrls.parse(row.platformUrls()), row.forwardQuery(), row.version());
    }

    public boolean exists() {
        return redirectUrl != null;
    }

    public long version() {
        return version;
    }

    public String redirectUrl() {
        return redirectUrl;
    }

    /** Where a click of {@code platform} goes; null if its URL cannot be a {@code Location}. */
    public Destination destination(Platform platform) {
        return destinations[platform.code()];
    }

    /** The {@code Location} of the redirect URL as it is stored (placeholders unfilled); null if it cannot be one. */
    public String location() {
        return redirect == null ? null : redirect.toString();
    }

    /**
     * The state as memcached holds it: JSON (only the version for no campaign) with when it was
     * signed ({@code issued}, epoch seconds), signed for campaign {@code id}; empty while
     * {@code signer} has no key.
     */
    Optional<String> encode(long id, MemcachedSigner signer, long issued) {
        return signer.sign(id, json(issued, null)).map(signature -> json(issued, signature));
    }

    /**
     * The state {@link #encode} wrote for campaign {@code id}, or null if {@code value} is not one:
     * garbage, unsigned (an earlier version's), signed for another campaign or state, or signed
     * more than {@code maxAgeSeconds} before {@code now} (epoch seconds; or more than a clock's
     * allowance after it). The signature alone says the service wrote the value, not that it is
     * current: anyone who can read memcached can put a value back after the campaign changed.
     */
    static Target decode(long id, String value, MemcachedSigner signer, long now, long maxAgeSeconds) {
        try {
            Stored stored = JSON.readValue(value, Stored.class);
            if (stored == null || stored.version == null || stored.issued == null
                    || stored.issued < now - maxAgeSeconds || stored.issued > now + CLOCK_ALLOWANCE_SECONDS) {
                return null;
            }
            Target target = of(stored.url, stored.platformUrls, Boolean.TRUE.equals(stored.forward), stored.version);
            // The signature covers the state as this class writes it, so only what it signed matches.
            return signer.verify(id, target.json(stored.issued, null), stored.signature) ? target : null;
        } catch (JsonProcessingException | RuntimeException e) {
            return null;
        }
    }

    private String json(long issued, String signature) {
        try {
            return JSON.writeValueAsString(new Stored(version, issued, redirectUrl,
                    platformUrls.isEmpty() ? null : PlatformUrls.ordered(platformUrls), forwardQuery ? Boolean.TRUE : null,
                    signature));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e); // strings and numbers always write
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    private record Stored(@JsonProperty("v") Long version, @JsonProperty("t") Long issued, @JsonProperty("u") String url,
                          @JsonProperty("p") Map<String, String> platformUrls, @JsonProperty("f") Boolean forward,
                          @JsonProperty("s") String signature) {
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Target other && version == other.version && forwardQuery == other.forwardQuery
                && Objects.equals(redirectUrl, other.redirectUrl) && platformUrls.equals(other.platformUrls);
    }

    @Override
    public int hashCode() {
        return Objects.hash(redirectUrl, platformUrls, forwardQuery, version);
    }

    @Override
    public String toString() {
        return "Target[" + (exists() ? redirectUrl + " " + platformUrls + (forwardQuery ? " forwarding" : "") : "none")
                + " @" + version + "]";
    }
}
