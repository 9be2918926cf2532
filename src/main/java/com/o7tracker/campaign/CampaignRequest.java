package com.o7tracker.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.o7tracker.web.ApiException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a client may write in a campaign: {@code redirect_url} and {@code platforms}. The fields a
 * client reads back (id, timestamps, counters) are accepted and ignored, so a campaign can be sent
 * back as it was read; any other field is refused by name.
 *
 * @param redirectUrl null when absent (an update keeps the stored one)
 * @param platforms   null when absent; canonical names, duplicates dropped, in the order given
 */
public record CampaignRequest(String redirectUrl, String[] platforms) {

    public static final int MAX_URL_LENGTH = 2048;

    private static final Set<String> READ_ONLY = Set.of("id", "created_at", "updated_at", "click_count",
            "android_click_count", "iphone_click_count", "windowsphone_click_count");

    public static CampaignRequest forCreate(JsonNode body) {
        CampaignRequest request = parse(body);
        if (request.redirectUrl == null) {
            throw ApiException.unprocessable("redirect_url is required.");
        }
        return request.platforms == null ? new CampaignRequest(request.redirectUrl, new String[0]) : request;
    }

    public static CampaignRequest forUpdate(JsonNode body) {
        return parse(body);
    }

    private static CampaignRequest parse(JsonNode body) {
        String redirectUrl = null;
        String[] platforms = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            switch (field.getKey()) {
                case "redirect_url" -> redirectUrl = redirectUrl(field.getValue());
                case "platforms" -> platforms = platforms(field.getValue());
                default -> {
                    if (!READ_ONLY.contains(field.getKey())) {
                        throw ApiException.unprocessable("Unknown field '" + field.getKey()
                                + "'; a campaign has redirect_url and platforms.");
                    }
                }
            }
        }
        return new CampaignRequest(redirectUrl, platforms);
    }

    private static String redirectUrl(JsonNode value) {
        if (!value.isTextual()) {
            throw ApiException.unprocessable("redirect_url must be a string.");
        }
        String url = value.asText().trim();
        if (url.isEmpty()) {
            throw ApiException.unprocessable("redirect_url must not be empty.");
        }
        if (url.length() > MAX_URL_LENGTH) {
            throw ApiException.unprocessable("redirect_url must be at most " + MAX_URL_LENGTH + " characters.");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw ApiException.unprocessable("redirect_url is not a valid URL: " + e.getReason() + ".");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https"))) {
            throw ApiException.unprocessable("redirect_url must be an absolute http or https URL.");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw ApiException.unprocessable("redirect_url must have a host.");
        }
        return url;
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
            Platform platform = Platform.parse(element.asText()).orElseThrow(() -> ApiException.unprocessable(
                    "platforms holds unknown platform '" + element.asText()
                            + "'; known: Android, IPhone, WindowsPhone."));
            names.add(platform.canonical());
        }
        return names.toArray(String[]::new);
    }
}
