package com.o7tracker.notify;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every PostgreSQL notification channel the service speaks, by its name on the wire. The names and
 * payloads never change in place: instances of the previous version listen and send beside this
 * one during a rolling deploy. Each payload is written and read by one class, named here.
 */
public enum Channel {

    /**
     * A campaign's target changed, by any client: sent by PostgreSQL itself (the trigger of
     * migration V007), in the changing transaction; read by {@link CampaignChanged}.
     */
    CAMPAIGN_CHANGED("campaign_changed"),
    /** A campaign created, updated or deleted through some instance, for the live events: {@link CampaignEvent}. */
    CAMPAIGN_EVENTS("o7t_campaign_events"),
    /** The clicks each flush of some instance applied, for the live events: {@link AppliedClicks}. */
    CLICKS_APPLIED("o7t_clicks_applied"),
    /** A conversion counted through some instance, for the live events: {@link ConversionCounted}. */
    CONVERSIONS("o7t_conversions"),
    /**
     * The keys that sign click ids changed (a rotation, a first key, an expired key deleted), by
     * any client: sent by PostgreSQL itself (the trigger of migration V014), one per key changed,
     * its id in decimal; heard by {@code clickid/ClickIdKeys}, which re-reads every key whatever
     * the payload.
     */
    CLICK_ID_KEYS("o7t_click_id_keys"),
    /**
     * An API key revoked (deleted) or its scopes changed, by any client: sent by PostgreSQL itself
     * (the trigger of migration V015); read by {@link ApiKeyChanged}.
     */
    API_KEY_CHANGED("o7t_api_key_changed");

    private static final Map<String, Channel> BY_WIRE_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(Channel::wireName, Function.identity()));

    private final String wireName;

    Channel(String wireName) {
        this.wireName = wireName;
    }

    /** The name PostgreSQL knows it by (LISTEN, pg_notify). */
    public String wireName() {
        return wireName;
    }

    static Optional<Channel> ofWireName(String name) {
        return Optional.ofNullable(BY_WIRE_NAME.get(name));
    }
}
