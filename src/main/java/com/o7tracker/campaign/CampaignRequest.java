package com.o7tracker.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.o7tracker.web.ApiException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a client may write in a campaign: {@code redirect_url}, {@code platforms},
 * {@code platform_urls}, {@code forward_query}, {@code name} and {@code tags} (their rules in
 * {@link Labels}), {@code conversion_window_days}. The fields a client reads back (id, timestamps,
 * counters, conversions and revenue) are accepted and ignored, so a campaign can be sent back as it was read; any other
 * field is refused by name.
 *
 * @param redirectUrl  null when absent (an update keeps the stored one)
 * @param platforms    null when absent; canonical names, duplicates dropped, in the order given
 * @param platformUrls null when absent (an update keeps the stored ones)
 * @param forwardQuery null when absent
 * @param name         null when absent (an update keeps the stored one); {@code ""} clears it
 * @param tags         null when absent; lower case, duplicates dropped, in the order given
 * @param conversionWindowDays null when absent; 1 to {@link #MAX_CONVERSION_WINDOW_DAYS}
 */
public record CampaignRequest(String redirectUrl, String[] platforms, UrlChanges platformUrls, Boolean forwardQuery,
                              String name, String[] tags, Integer conversionWindowDays) {

    /** A request that leaves the name, tags and conversion window as they are. */
    public CampaignRequest(String redirectUrl, String[] platforms, UrlChanges platformUrls, Boolean forwardQuery) {
        this(redirectUrl, platforms, platformUrls, forwardQuery, null, null, null);
    }

    /** A request that leaves the conversion window as it is. */
    public CampaignRequest(String redirectUrl, String[] platforms, UrlChanges platformUrls, Boolean forwardQuery,
                           String name, String[] tags) {
        this(redirectUrl, platforms, platformUrls, forwardQuery, name, tags, null);
    }

    /** The longest conversion window: a year. */
    public static final int MAX_CONVERSION_WINDOW_DAYS = 365;

    public static final int MAX_URL_LENGTH = 2048;

    /**
     * A change of {@code platform_urls}: {@code clear} drops every stored entry first ({@code null}
     * was sent, or this is a new campaign), then {@code set} is added and {@code remove} (the
     * entries sent as {@code null}) taken out. Keys are canonical platform names.
     */
    public record UrlChanges(boolean clear, Map<String, String> set, Set<String> remove) {

        static final UrlChanges NONE = new UrlChanges(true, Map.of(), Set.of());
        /** No change: the stored entries stay. */
        static final UrlChanges KEEP = new UrlChanges(false, Map.of(), Set.of());

        public String setJson() {
            return PlatformUrls.format(set);
        }

        public String[] removeKeys() {
            return remove.toArray(String[]::new);
        }
    }

    private static final Set<String> READ_ONLY = readOnly();

    private static Set<String> readOnly() {
        Set<String> names = new LinkedHashSet<>(Set.of("id", "created_at", "updated_at", "conversion_count",
                "conversions", "revenue"));
        names.addAll(Counters.NAMES);
        return Set.copyOf(names);
    }

    public static CampaignRequest forCreate(JsonNode body) {
        CampaignRequest request = parse(body);
        if (request.redirectUrl == null) {
            throw ApiException.unprocessable("redirect_url is required.");
        }
        return new CampaignRequest(request.redirectUrl,
                request.platforms == null ? new String[0] : request.platforms,
                request.platformUrls == null ? UrlChanges.NONE : request.platformUrls,
                request.forwardQuery == null ? Boolean.FALSE : request.forwardQuery,
                request.name == null ? "" : request.name,
                request.tags == null ? new String[0] : request.tags,
                request.conversionWindowDays == null ? Campaign.DEFAULT_CONVERSION_WINDOW_DAYS
                        : request.conversionWindowDays);
    }

    public static CampaignRequest forUpdate(JsonNode body) {
        return parse(body);
    }

    private static CampaignRequest parse(JsonNode body) {
        String redirectUrl = null;
        String[] platforms = null;
        UrlChanges platformUrls = null;
        Boolean forwardQuery = null;
        String name = null;
        String[] tags = null;
        Integer conversionWindowDays = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            switch (field.getKey()) {
                case "redirect_url" -> redirectUrl = url("redirect_url", field.getValue());
                case "platforms" -> platforms = platforms(field.getValue());
                case "platform_urls" -> platformUrls = platformUrls(field.getValue());
                case "forward_query" -> forwardQuery = forwardQuery(field.getValue());
                case "name" -> name = Labels.name(field.getValue());
                case "tags" -> tags = Labels.tags(field.getValue());
                case "conversion_window_days" -> conversionWindowDays = conversionWindowDays(field.getValue());
                default -> {
                    if (!READ_ONLY.contains(field.getKey())) {
                        throw ApiException.unprocessable("Unknown field " + ApiException.quote(field.getKey())
                                + "; a campaign has redirect_url, platforms, platform_urls, forward_query, name, tags"
                                + " and conversion_window_days.");
                    }
                }
            }
        }
        return new CampaignRequest(redirectUrl, platforms, platformUrls, forwardQuery, name, tags, conversionWindowDays);
    }

    private static Integer conversionWindowDays(JsonNode value) {
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 1
                || value.intValue() > MAX_CONVERSION_WINDOW_DAYS) {
            throw ApiException.unprocessable("conversion_window_days must be a whole number of days from 1 to "
                    + MAX_CONVERSION_WINDOW_DAYS + ".");
        }
        return value.intValue();
    }

    /**
     * An absolute http or https URL of at most {@link #MAX_URL_LENGTH} characters, which may hold
     * the placeholders of {@link Destination}; its host may be internationalised ({@code bücher.de}).
     * Kept as it was given; the redirect carries it in the form browsers send ({@link Destination}).
     * {@code field} names it in the error.
     */
    private static String url(String field, JsonNode value) {
        if (!value.isTextual()) {
            throw ApiException.unprocessable(field + " must be a string.");
        }
        String url = value.asText().trim();
        if (url.isEmpty()) {
            throw ApiException.unprocessable(field + " must not be empty.");
        }
        if (url.length() > MAX_URL_LENGTH) {
            throw ApiException.unprocessable(field + " must be at most " + MAX_URL_LENGTH + " characters.");
        }
        String filled = Destination.withSamples(url);
        URI uri;
        try {
            uri = new URI(filled);
        } catch (URISyntaxException e) {
            String reason = filled.indexOf('{') >= 0 || filled.indexOf('}') >= 0
                    ? "only " + Destination.CLICK_ID + ", " + Destination.CAMPAIGN_ID + " and " + Destination.PLATFORM
                            + " may stand in braces"
                    : readable(e);
            throw ApiException.unprocessable(field + " is not a valid URL: " + reason + ".");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https"))) {
            throw ApiException.unprocessable(field + " must be an absolute http or https URL.");
        }
        if (!hasHost(uri) && !hasHost(AsciiUrl.toAscii(filled))) {
            throw ApiException.unprocessable(field + " must have a host.");
        }
        if (Destination.longestLocation(url) > Destination.MAX_LOCATION) {
            throw ApiException.unprocessable(field + " is too long for a redirect once its non-ASCII characters are"
                    + " percent-encoded and its placeholders filled (at most " + Destination.MAX_LOCATION + " characters).");
        }
        return url;
    }

    /**
     * java.net.URI's reason in the words of the people who write URLs: "Illegal character in
     * authority at index 12" says neither which character nor what to do.
     */
    private static String readable(URISyntaxException e) {
        String reason = e.getReason();
        if (!reason.startsWith("Illegal character in ") || e.getIndex() < 0) {
            return reason;
        }
        // The index names where the part begins, not always the character: the first one URLs may not hold from there.
        String input = e.getInput();
        for (int i = e.getIndex(); i < input.length(); i = input.offsetByCodePoints(i, 1)) {
            int c = input.codePointAt(i);
            if (c <= ' ' || c == 0x7f || "\"<>\\^`{|}".indexOf(c) >= 0) {
                String which = c == ' ' ? "a space" : Character.isISOControl(c) ? "a control character" : "the character " + (char) c;
                String part = reason.substring("Illegal character in ".length());
                return "it holds " + which + " in its " + (part.equals("authority") ? "host" : part)
                        + " (at position " + (i + 1) + "), where URLs may not; percent-encode it or leave it out";
            }
        }
        return reason;
    }

    private static boolean hasHost(URI uri) {
        return uri.getHost() != null && !uri.getHost().isEmpty();
    }

    /**
     * Whether {@code url} has a host in the form a {@code Location} carries it: java.net.URI takes
     * only ASCII host names, so {@code https://bücher.de/} has one once it is punycode.
     */
    private static boolean hasHost(String url) {
        try {
            return hasHost(new URI(url));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static String[] platforms(JsonNode value) {
        if (!value.isArray()) {
            throw ApiException.unprocessable("platforms must be an array of platform names.");
        }
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode element : value) {
            if (!element.isTextual()) {
                throw ApiException.unprocessable("platforms must hold only strings.");
            }
            names.add(platform("platforms", element.asText()).canonical());
        }
        return names.toArray(String[]::new);
    }

    /** {@code null}: no entries; an object: entries set (a URL) or removed ({@code null}), by platform name. */
    private static UrlChanges platformUrls(JsonNode value) {
        if (value.isNull()) {
            return UrlChanges.NONE;
        }
        if (!value.isObject()) {
            throw ApiException.unprocessable("platform_urls must be an object of platform names to URLs, or null.");
        }
        Map<String, String> set = new LinkedHashMap<>();
        Set<String> remove = new LinkedHashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String name = platform("platform_urls", entry.getKey()).canonical();
            if (set.containsKey(name) || remove.contains(name)) {
                throw ApiException.unprocessable("platform_urls names " + name + " more than once.");
            }
            if (entry.getValue().isNull()) {
                remove.add(name);
            } else {
                set.put(name, url("platform_urls." + name, entry.getValue()));
            }
        }
        return new UrlChanges(false, set, remove);
    }

    private static Boolean forwardQuery(JsonNode value) {
        if (!value.isBoolean()) {
            throw ApiException.unprocessable("forward_query must be true or false.");
        }
        return value.booleanValue();
    }

    private static Platform platform(String field, String name) {
        return Platform.parse(name).orElseThrow(() -> ApiException.unprocessable(
                field + " holds unknown platform " + ApiException.quote(name) + "; known: " + Platform.NAMES + "."));
    }
}
