package com.o7tracker.campaign;

import com.o7tracker.web.QueryString;
import java.net.URI;
import java.util.HashSet;
import java.util.Set;

/**
 * Where a click goes: a campaign's {@code redirect_url} or one of its {@code platform_urls}, made
 * ready once, when the campaign is cached, so that a click only fills it in.
 *
 * <p>Filling in replaces the placeholders {@code {click_id}}, {@code {campaign_id}} and
 * {@code {platform}} and, for a campaign with {@code forward_query}, appends the tracking link's
 * query parameters other than {@code platform}, except those the URL already names (the URL's own
 * value is kept). A URL with neither is its {@code Location} as it is, with no work per click.
 */
public final class Destination {

    public static final String CLICK_ID = "{click_id}";
    public static final String CAMPAIGN_ID = "{campaign_id}";
    public static final String PLATFORM = "{platform}";
    /** The longest {@code {click_id}} stands for: a signed click id (clickid/ClickIds) of any version. */
    public static final int MAX_CLICK_ID = 64;
    private static final String[] PLACEHOLDERS = {CLICK_ID, CAMPAIGN_ID, PLATFORM};
    /** What each placeholder stands for when a URL is checked: something any URL may hold there. */
    private static final String SAMPLE = "0";
    /**
     * The longest {@code Location} forwarding makes: parameters that would go past it are left
     * out, so the redirect always fits in the response's headers.
     */
    public static final int MAX_LOCATION = 6 * 1024;

    private final String location;
    private final boolean templated;
    private final boolean needsClickId;
    private final boolean forwardQuery;
    /** Where the fragment ({@code #…}) begins in {@link #location}, or its length. */
    private final int fragmentAt;
    private final boolean hasQuery;
    /** The parameter names of the URL's own query, decoded. */
    private final Set<String> names;

    private Destination(String location, boolean forwardQuery) {
        this.location = location;
        this.templated = location.indexOf('{') >= 0;
        this.needsClickId = location.contains(CLICK_ID);
        this.forwardQuery = forwardQuery;
        int hash = location.indexOf('#');
        this.fragmentAt = hash < 0 ? location.length() : hash;
        int question = location.indexOf('?');
        this.hasQuery = question >= 0 && question < fragmentAt;
        this.names = new HashSet<>();
        if (hasQuery && forwardQuery) {
            String query = location.substring(question + 1, fragmentAt);
            for (int at = 0; at < query.length(); ) {
                int end = QueryString.parameterEnd(query, at);
                if (end > at) {
                    names.add(QueryString.decode(query.substring(at, QueryString.nameEnd(query, at, end))));
                }
                at = end + 1;
            }
        }
    }

    /** The destination of a stored URL, or null if it is not a URL a redirect can carry. */
    public static Destination of(String url, boolean forwardQuery) {
        if (url == null || !isUrl(url)) {
            return null;
        }
        return new Destination(AsciiUrl.toAscii(url), forwardQuery);
    }

    /** Whether {@code url}, placeholders filled in, parses as a URI (what a {@code Location} needs). */
    static boolean isUrl(String url) {
        try {
            URI.create(withSamples(url));
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The URL with each placeholder replaced by a value such a placeholder may take. */
    static String withSamples(String url) {
        String filled = url;
        for (String placeholder : PLACEHOLDERS) {
            filled = filled.replace(placeholder, SAMPLE);
        }
        return filled;
    }

    /**
     * The length of the longest {@code Location} {@code url} makes before forwarding: percent-encoded,
     * every placeholder at its longest value. Must leave room in the response's headers.
     */
    static int longestLocation(String url) {
        String longest = url.replace(CLICK_ID, "x".repeat(MAX_CLICK_ID)).replace(CAMPAIGN_ID, "9".repeat(16))
                .replace(PLATFORM, "WindowsPhone");
        return AsciiUrl.toAscii(longest).length();
    }

    public boolean needsClickId() {
        return needsClickId;
    }

    /**
     * The {@code Location} of one click. {@code clickId} may be null when {@link #needsClickId} is
     * false; {@code rawQuery} is the tracking link's query as sent (null: none).
     */
    public String location(long campaignId, Platform platform, String clickId, String rawQuery) {
        boolean forward = forwardQuery && rawQuery != null && !rawQuery.isEmpty();
        if (!templated && !forward) {
            return location;
        }
        StringBuilder out = new StringBuilder(location.length() + (forward ? rawQuery.length() + 1 : MAX_CLICK_ID));
        fill(out, 0, fragmentAt, campaignId, platform, clickId);
        if (!forward) {
            fill(out, fragmentAt, location.length(), campaignId, platform, clickId);
            return out.toString();
        }
        StringBuilder fragment = new StringBuilder();
        fill(fragment, fragmentAt, location.length(), campaignId, platform, clickId);
        forward(out, rawQuery, fragment.length());
        return out.append(fragment).toString();
    }

    private void fill(StringBuilder out, int from, int to, long campaignId, Platform platform, String clickId) {
        if (!templated) {
            out.append(location, from, to);
            return;
        }
        int at = from;
        while (at < to) {
            int open = location.indexOf('{', at);
            if (open < 0 || open >= to) {
                out.append(location, at, to);
                return;
            }
            out.append(location, at, open);
            if (location.startsWith(CLICK_ID, open)) {
                out.append(clickId);
                at = open + CLICK_ID.length();
            } else if (location.startsWith(CAMPAIGN_ID, open)) {
                out.append(campaignId);
                at = open + CAMPAIGN_ID.length();
            } else if (location.startsWith(PLATFORM, open)) {
                out.append(platform.canonical());
                at = open + PLATFORM.length();
            } else {
                out.append('{');
                at = open + 1;
            }
        }
    }

    /**
     * Appends the tracking link's parameters that go on, each encoded where it was not; those that
     * would make the whole (with a fragment of {@code fragmentLength}) too long are left out.
     * {@code platform} is left out by its name as sent, as the click path reads it.
     */
    private void forward(StringBuilder out, String rawQuery, int fragmentLength) {
        boolean first = !hasQuery;
        int at = 0;
        while (at <= rawQuery.length()) {
            int end = QueryString.parameterEnd(rawQuery, at);
            if (end > at) {
                String rawName = rawQuery.substring(at, QueryString.nameEnd(rawQuery, at, end));
                if (!rawName.equals("platform") && !names.contains(QueryString.decode(rawName))) {
                    int mark = out.length();
                    if (first) {
                        out.append('?');
                    } else if (out.charAt(out.length() - 1) != '?' && out.charAt(out.length() - 1) != '&') {
                        out.append('&');
                    }
                    AsciiUrl.appendEncoded(out, rawQuery, at, end);
                    if (out.length() + fragmentLength > MAX_LOCATION) {
                        out.setLength(mark); // too long to carry: left out
                    } else {
                        first = false;
                    }
                }
            }
            at = end + 1;
        }
    }

    @Override
    public String toString() {
        return location;
    }
}
