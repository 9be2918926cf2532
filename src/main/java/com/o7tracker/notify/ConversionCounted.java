package com.o7tracker.notify;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The payload of {@link Channel#CONVERSIONS}: one conversion counted and the totals its campaign
 * had then, {@code "id event country count event_count"}, followed by {@code " revenue currency
 * currency_revenue"} when it had revenue. Every part is of characters that need no quoting (the
 * postback's rules and the conversions table's constraints hold them so), and absolute totals
 * let a listener show the campaign's numbers however many events it missed.
 *
 * @param revenue         null when none; then {@code currency} and {@code currencyRevenue} are null too
 * @param currencyRevenue the campaign's revenue in {@code currency}, this conversion's included
 */
public record ConversionCounted(long campaignId, String event, String country, long conversionCount, long eventCount,
                                BigDecimal revenue, String currency, BigDecimal currencyRevenue) {

    private static final Pattern EVENT = Pattern.compile("[a-z0-9_]{1,32}");
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    public String encode() {
        String counts = campaignId + " " + event + " " + country + " " + conversionCount + " " + eventCount;
        return revenue == null ? counts
                : counts + " " + revenue.toPlainString() + " " + currency + " " + currencyRevenue.toPlainString();
    }

    /** The conversion, or empty for a payload that does not read as one. */
    public static Optional<ConversionCounted> parse(String payload) {
        String[] parts = payload.split(" ");
        if ((parts.length != 5 && parts.length != 8) || !EVENT.matcher(parts[1]).matches()
                || !COUNTRY.matcher(parts[2]).matches() || (parts.length == 8 && !CURRENCY.matcher(parts[6]).matches())) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ConversionCounted(Long.parseLong(parts[0]), parts[1], parts[2], Long.parseLong(parts[3]),
                    Long.parseLong(parts[4]), parts.length == 8 ? new BigDecimal(parts[5]) : null,
                    parts.length == 8 ? parts[6] : null, parts.length == 8 ? new BigDecimal(parts[7]) : null));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
