package com.o7tracker.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.o7tracker.O7TrackerConfiguration;
import com.o7tracker.campaign.Campaign;
import com.o7tracker.conversion.PostbackRequest;
import com.o7tracker.dimension.Dimension;
import com.o7tracker.support.Http;
import com.o7tracker.support.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The OpenAPI document names every endpoint the service serves and no other: each method of every
 * Jersey resource the application registers, plus the tracking link (a Jetty handler, not Jersey);
 * and each endpoint's query parameters: those the method takes, and the series' filters, one per
 * dimension, which the stats resources read from the whole query.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class OpenApiIT {

    static final DropwizardAppExtension<O7TrackerConfiguration> APP = TestApp.withoutMemcached();

    /** Served before Jersey, by the click path's handler (track/TrackHandler). */
    private static final Set<String> OUTSIDE_JERSEY = Set.of("GET /track/{id}", "HEAD /track/{id}");

    /** The endpoints that take a filter of the series among their query parameters. */
    private static final Set<String> SERIES = Set.of("GET /admin/campaigns/{id}/stats", "GET /admin/stats");

    private static JsonNode document() throws Exception {
        HttpResponse<String> answer = new Http(APP.getLocalPort()).get("/openapi.yaml");
        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode document = new ObjectMapper(new YAMLFactory()).readTree(answer.body());
        assertThat(document.get("openapi").asText()).startsWith("3.");
        return document;
    }

    /** Every resource class the application registers with Jersey. */
    private static Set<Class<?>> resources() {
        var config = APP.getEnvironment().jersey().getResourceConfig();
        Set<Class<?>> resources = new HashSet<>(config.getClasses());
        config.getInstances().forEach(instance -> resources.add(instance.getClass()));
        config.getSingletons().forEach(instance -> resources.add(instance.getClass()));
        return resources;
    }

    @Test
    void everyQueryParameterOfEveryEndpointIsInTheDocument() throws Exception {
        JsonNode document = document();
        Map<String, Set<String>> served = new TreeMap<>();
        for (Class<?> resource : resources()) {
            Path root = resource.getAnnotation(Path.class);
            for (Method method : resource.getMethods()) {
                String verb = httpMethod(method);
                if (root == null || verb == null) {
                    continue;
                }
                Path sub = method.getAnnotation(Path.class);
                String endpoint = verb + " " + normalize(root.value() + (sub == null ? "" : "/" + sub.value()));
                Set<String> names = served.computeIfAbsent(endpoint, e -> new TreeSet<>());
                for (Parameter parameter : method.getParameters()) {
                    QueryParam query = parameter.getAnnotation(QueryParam.class);
                    if (query != null) {
                        names.add(query.value());
                    }
                }
                if (SERIES.contains(endpoint)) {
                    Arrays.stream(Dimension.values()).map(Dimension::wireName).forEach(names::add);
                }
                if (endpoint.equals("GET /postback")) {
                    // Read from the query as a whole (a parameter sent twice is refused), and the key by the authentication.
                    names.addAll(PostbackRequest.PARAMETERS);
                    names.add("key");
                }
            }
        }
        assertThat(served.keySet()).as("the series and the breakdowns").containsAll(SERIES)
                .contains("GET /admin/campaigns/{id}/breakdown", "GET /admin/stats/breakdown");
        Map<String, Set<String>> documented = new TreeMap<>();
        for (String endpoint : served.keySet()) {
            String[] verbAndPath = endpoint.split(" ", 2);
            JsonNode path = document.get("paths").get(verbAndPath[1]);
            Set<String> names = new TreeSet<>();
            for (JsonNode list : List.of(path.path("parameters"), path.path(verbAndPath[0].toLowerCase(Locale.ROOT)).path("parameters"))) {
                for (JsonNode parameter : list) {
                    JsonNode resolved = parameter.has("$ref")
                            ? document.at(parameter.get("$ref").asText().substring(1)) : parameter;
                    if (resolved.path("in").asText().equals("query")) {
                        names.add(resolved.get("name").asText());
                    }
                }
            }
            documented.put(endpoint, names);
        }
        assertThat(documented).isEqualTo(served);
        List<String> dimensions = new ArrayList<>();
        document.at("/components/schemas/Dimension/enum").forEach(d -> dimensions.add(d.asText()));
        assertThat(dimensions).as("the breakdowns' by").containsExactlyElementsOf(
                Arrays.stream(Dimension.values()).map(Dimension::wireName).toList());
    }

    /** A campaign's fields, as the service writes them. */
    @Test
    void theDocumentNamesEveryFieldOfACampaign() throws Exception {
        Set<String> fields = new TreeSet<>();
        for (RecordComponent component : Campaign.class.getRecordComponents()) {
            fields.add(component.getName().replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT));
        }
        Set<String> documented = new TreeSet<>();
        document().at("/components/schemas/Campaign/properties").fieldNames().forEachRemaining(documented::add);
        assertThat(documented).contains("name", "tags").isEqualTo(fields);
    }

    @Test
    void theDocumentAndTheResourcesNameTheSameEndpoints() throws Exception {
        JsonNode document = document();

        Set<String> documented = new TreeSet<>();
        for (Iterator<String> paths = document.get("paths").fieldNames(); paths.hasNext(); ) {
            String path = paths.next();
            for (Iterator<String> keys = document.get("paths").get(path).fieldNames(); keys.hasNext(); ) {
                String key = keys.next();
                if (Set.of("get", "put", "post", "delete", "head", "patch", "options").contains(key)) {
                    documented.add(key.toUpperCase(Locale.ROOT) + " " + path);
                }
            }
        }

        Set<String> served = new TreeSet<>(OUTSIDE_JERSEY);
        for (Class<?> resource : resources()) {
            Path root = resource.getAnnotation(Path.class);
            if (root == null) {
                continue;
            }
            for (Method method : resource.getMethods()) {
                String verb = httpMethod(method);
                if (verb != null) {
                    Path sub = method.getAnnotation(Path.class);
                    served.add(verb + " " + normalize(root.value() + (sub == null ? "" : "/" + sub.value())));
                }
            }
        }
        assertThat(served).as("every endpoint the service serves").contains("POST /admin/campaigns", "GET /admin/events");
        assertThat(documented).isEqualTo(served);
    }

    private static String httpMethod(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod verb = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (verb != null) {
                return verb.value();
            }
        }
        return null;
    }

    /** One slash between segments; a template's regex reads as its first alternative (/admin/campains is an alias). */
    private static String normalize(String path) {
        String p = ("/" + path).replaceAll("/+", "/").replaceAll("\\{\\w+: (\\w+)(\\|\\w+)*}", "$1");
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }
}
