package com.o7tracker.web;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads an admin request body as JSON whatever Content-Type it declares (clients of the original
 * send JSON with curl's default form type), refusing bodies over the limit.
 */
public final class JsonBody {

    public static final int MAX_BYTES = 64 * 1024;

    private final ObjectMapper mapper;

    public JsonBody(ObjectMapper mapper) {
        this.mapper = mapper.copy()
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS); // one object, nothing after it
    }

    public JsonNode read(InputStream in) {
        byte[] bytes = readLimited(in);
        if (bytes.length == 0) {
            throw ApiException.badRequest("Request body is empty; a JSON object is expected.");
        }
        JsonNode node;
        try {
            node = mapper.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw notJson(e);
        } catch (IOException e) {
            throw ApiException.badRequest("Request body could not be read.");
        }
        if (node == null || node.isMissingNode()) {
            throw ApiException.badRequest("Request body is empty; a JSON object is expected.");
        }
        if (!node.isObject()) {
            throw ApiException.badRequest("Request body must be a JSON object.");
        }
        return node;
    }

    private static byte[] readLimited(InputStream in) {
        if (in == null) {
            return new byte[0];
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = in.read(buffer)) != -1) {
                out.write(buffer, 0, n);
                if (out.size() > MAX_BYTES) {
                    throw tooLarge();
                }
            }
        } catch (IOException e) {
            throw ApiException.badRequest("Request body could not be read.");
        }
        return out.toByteArray();
    }

    /**
     * Jackson's own message quotes the body (tokens, characters), so the answer names only the
     * position, or the field given twice (a name the API knows or refuses by name anyway).
     */
    private static ApiException notJson(JsonProcessingException e) {
        if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field")
                && e.getProcessor() instanceof JsonParser parser) {
            try {
                return ApiException.badRequest("Request body has the field " + parser.currentName() + " twice.");
            } catch (IOException | RuntimeException ignored) {
                // answered by position below
            }
        }
        JsonLocation at = e.getLocation();
        return ApiException.badRequest(at == null || at.getLineNr() < 1
                ? "Request body is not valid JSON."
                : "Request body is not valid JSON (line " + at.getLineNr() + ", column " + at.getColumnNr() + ").");
    }

    public static ApiException tooLarge() {
        return new ApiException(413, "Request body is larger than " + MAX_BYTES / 1024 + " KiB.");
    }
}
