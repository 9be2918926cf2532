package com.o7tracker.conversion;

import com.fasterxml.jackson.databind.JsonNode;
import com.o7tracker.web.ApiException;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a postback reports, by its rules, from a query string or form ({@link #of(Map)}) or a JSON
 * body ({@link #of(JsonNode)}): {@code click_id} (required; whether it is one this service signed
 * is the click id's verifier's to say), {@code event} (1-32 of {@code a-z 0-9 _}, any case, kept
 * lower case; {@value #DEFAULT_EVENT} when absent), {@code revenue} (a decimal of at most
 * {@value #MAX_SCALE} decimals, at least 0, as sent: never a float) with its {@code currency} (an
 * ISO 4217 code, any case, kept upper case). Empty values are absent. Any other parameter is
 * ignored: networks send many. A parameter of these sent twice is refused, whichever the partner
 * meant; so is anything else off these rules, with a 400 that says which.
 */
public record PostbackRequest(String clickId, String event, BigDecimal revenue, String currency) {

    /** The parameters a postback reads (a key may come as {@code key} too: the authentication's). */
    public static final List<String> PARAMETERS = List.of("click_id", "event", "revenue", "currency");

    public static final String DEFAULT_EVENT = "conversion";
    public static final int MAX_SCALE = 6;

    /** A click id of any form is at most this long (a signed one is 64 at most): longer is no id. */
    private static final int MAX_CLICK_ID = 128;
    private static final Pattern EVENT = Pattern.compile("[a-z0-9_]{1,32}");
    /** Up to a quintillion before the point: more than any conversion is worth, and bounded to read. */
    private static final Pattern REVENUE = Pattern.compile("[0-9]{1,18}(\\.[0-9]{1," + MAX_SCALE + "})?");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final Set<String> CURRENCIES = Currency.getAvailableCurrencies().stream()
            .map(Currency::getCurrencyCode).collect(Collectors.toUnmodifiableSet());

    /** From a query string's or form's parameters, as decoded. */
    public static PostbackRequest of(Map<String, List<String>> parameters) {
        return of(one(parameters, "click_id"), one(parameters, "event"), one(parameters, "revenue"),
                one(parameters, "currency"));
    }

    /** From a JSON object: strings, and a number or string for {@code revenue} (a number read as written). */
    public static PostbackRequest of(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("A postback's JSON body must be an object.");
        }
        return of(text(body, "click_id"), text(body, "event"), amount(body), text(body, "currency"));
    }

    private static PostbackRequest of(String clickId, String event, String revenue, String currency) {
        if (clickId == null) {
            throw ApiException.badRequest("click_id is required.");
        }
        if (clickId.length() > MAX_CLICK_ID) {
            throw ApiException.badRequest("click_id is not a click id of this service.");
        }
        String name = event == null ? DEFAULT_EVENT : event.toLowerCase(Locale.ROOT);
        if (!EVENT.matcher(name).matches()) {
            throw ApiException.badRequest("event must be 1 to 32 of the letters a-z, digits and _.");
        }
        if (revenue == null) {
            return new PostbackRequest(clickId, name, null, null);
        }
        if (!REVENUE.matcher(revenue).matches()) {
            throw ApiException.badRequest("revenue must be a decimal number of at least 0 with at most " + MAX_SCALE
                    + " decimals, such as 4.99.");
        }
        if (currency == null) {
            throw ApiException.badRequest("currency is required with revenue: an ISO 4217 code such as EUR.");
        }
        String code = currency.toUpperCase(Locale.ROOT);
        if (!CURRENCY.matcher(code).matches() || !CURRENCIES.contains(code)) {
            throw ApiException.badRequest("currency must be an ISO 4217 code such as EUR.");
        }
        return new PostbackRequest(clickId, name, new BigDecimal(revenue), code);
    }

    /** The parameter's only value, null when absent or empty; refused when sent twice. */
    private static String one(Map<String, List<String>> parameters, String name) {
        List<String> values = parameters.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw ApiException.badRequest(name + " is sent more than once.");
        }
        String value = values.get(0);
        return value == null || value.isEmpty() ? null : value;
    }

    private static String text(JsonNode body, String name) {
        JsonNode value = body.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ApiException.badRequest(name + " must be a string.");
        }
        return value.asText().isEmpty() ? null : value.asText();
    }

    private static String amount(JsonNode body) {
        JsonNode value = body.get("revenue");
        if (value != null && value.isNumber()) {
            // As written (the body is read with BigDecimal for floats): 4.99, not 4.9900000000000002.
            return value.isIntegralNumber() ? value.bigIntegerValue().toString() : value.decimalValue().toPlainString();
        }
        return text(body, "revenue");
    }
}
