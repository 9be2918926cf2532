package com.o7tracker.campaign;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A campaign's {@code platform_urls} as PostgreSQL keeps them (a jsonb object) and as the API
 * shows them: canonical platform names to URLs, in the platforms' order.
 */
public final class PlatformUrls {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    private PlatformUrls() {
    }

    /** The entries of a stored object; what is not a platform's URL (a hand-written row) is left out. */
    public static Map<String, String> parse(String json) {
        if (json == null || json.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> stored;
        try {
            stored = JSON.readValue(json, OBJECT);
        } catch (JsonProcessingException e) {
            return Map.of();
        }
        Map<String, String> urls = new LinkedHashMap<>();
        stored.forEach((name, url) -> {
            if (url instanceof String s) {
                urls.put(name, s);
            }
        });
        return Collections.unmodifiableMap(ordered(urls));
    }

    /** The entries in the platforms' order. */
    public static Map<String, String> ordered(Map<String, String> urls) {
        Map<String, String> ordered = new LinkedHashMap<>();
        for (Platform platform : Platform.values()) {
            String url = urls.get(platform.canonical());
            if (url != null) {
                ordered.put(platform.canonical(), url);
            }
        }
        return ordered;
    }

    public static String format(Map<String, String> urls) {
        try {
            return JSON.writeValueAsString(urls);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e); // a map of strings always writes
        }
    }
}
