package com.o7tracker.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.o7tracker.campaign.Labels;
import com.o7tracker.web.ApiException;
import com.o7tracker.web.Scope;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.Set;

/**
 * The body of {@code POST /admin/api-keys}: a name (trimmed, 1 to 200 characters, the campaigns'
 * rule for names) and the scopes, duplicates dropped. Every other field is refused by name.
 */
record ApiKeyRequest(String name, Set<Scope> scopes) {

    static ApiKeyRequest parse(JsonNode body) {
        for (Iterator<String> fields = body.fieldNames(); fields.hasNext(); ) {
            String field = fields.next();
            if (!field.equals("name") && !field.equals("scopes")) {
                throw ApiException.unprocessable("Unknown field " + ApiException.quote(field)
                        + "; an API key takes name and scopes (its key is made by the service).");
            }
        }
        return new ApiKeyRequest(name(body.get("name")), scopes(body.get("scopes")));
    }

    private static String name(JsonNode value) {
        if (value == null || value.isNull()) {
            throw ApiException.unprocessable("name is required: what the key is for, 1 to " + Labels.MAX_NAME_LENGTH
                    + " characters.");
        }
        if (!value.isTextual()) {
            throw ApiException.unprocessable("name must be a string.");
        }
        if (!Labels.isText(value.asText())) {
            throw ApiException.unprocessable("name must not hold control characters or broken Unicode.");
        }
        String name = value.asText().strip();
        if (name.isEmpty()) {
            throw ApiException.unprocessable("name must not be blank.");
        }
        if (name.codePointCount(0, name.length()) > Labels.MAX_NAME_LENGTH) {
            throw ApiException.unprocessable("name must be at most " + Labels.MAX_NAME_LENGTH + " characters.");
        }
        return name;
    }

    private static Set<Scope> scopes(JsonNode value) {
        if (value == null || value.isNull()) {
            throw ApiException.unprocessable("scopes is required: an array of " + Scope.NAMES + ".");
        }
        if (!value.isArray()) {
            throw ApiException.unprocessable("scopes must be an array of " + Scope.NAMES + ".");
        }
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (JsonNode scope : value) {
            if (!scope.isTextual()) {
                throw ApiException.unprocessable("scopes must hold strings, each one of " + Scope.NAMES + ".");
            }
            scopes.add(Scope.ofWireName(scope.asText()).orElseThrow(() -> ApiException.unprocessable(
                    "scopes holds unknown scope " + ApiException.quote(scope.asText()) + "; known: " + Scope.NAMES + ".")));
        }
        if (scopes.isEmpty()) {
            throw ApiException.unprocessable("scopes must name at least one of " + Scope.NAMES + ".");
        }
        return scopes;
    }
}
