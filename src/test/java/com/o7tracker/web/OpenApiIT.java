package com.o7tracker.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.o7tracker.O7TrackerConfiguration;
import com.o7tracker.support.Http;
import com.o7tracker.support.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.HttpMethod;
import com.o7tracker.campaign.Campaign;
import com.o7tracker.campaign.CampaignResource;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The OpenAPI document names every endpoint the service serves and no other: each method of every
 * Jersey resource the application registers, plus the tracking link (a Jetty handler, not Jersey).
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class OpenApiIT {

    static final DropwizardAppExtension<O7TrackerConfiguration> APP = TestApp.withoutMemcached();

    /** Served before Jersey, by the click path's handler (track/TrackHandler). */
    private static final Set<String> OUTSIDE_JERSEY = Set.of("GET /track/{id}", "HEAD /track/{id}");

    @Test
    void theDocumentAndTheResourcesNameTheSameEndpoints() throws Exception {
        HttpResponse<String> answer = new Http(APP.getLocalPort()).get("/openapi.yaml");
        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode document = new ObjectMapper(new YAMLFactory()).readTree(answer.body());
        assertThat(document.get("openapi").asText()).startsWith("3.");

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
        var config = APP.getEnvironment().jersey().getResourceConfig();
        Set<Class<?>> resources = new HashSet<>(config.getClasses());
        config.getInstances().forEach(instance -> resources.add(instance.getClass()));
        config.getSingletons().forEach(instance -> resources.add(instance.getClass()));
        for (Class<?> resource : resources) {
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

    /** The campaign's fields and the list's query parameters, as the service reads and writes them. */
    @Test
    void theDocumentNamesEveryFieldOfACampaignAndEveryFilterOfTheList() throws Exception {
        JsonNode document = new ObjectMapper(new YAMLFactory()).readTree(new Http(APP.getLocalPort()).get("/openapi.yaml").body());
        Set<String> fields = new TreeSet<>();
        for (RecordComponent component : Campaign.class.getRecordComponents()) {
            fields.add(component.getName().replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT));
        }
        Set<String> documented = new TreeSet<>();
        document.at("/components/schemas/Campaign/properties").fieldNames().forEachRemaining(documented::add);
        assertThat(documented).contains("name", "tags").isEqualTo(fields);

        Set<String> parameters = new TreeSet<>();
        Method list = Arrays.stream(CampaignResource.class.getMethods()).filter(m -> m.getName().equals("list"))
                .findFirst().orElseThrow();
        for (Parameter parameter : list.getParameters()) {
            QueryParam query = parameter.getAnnotation(QueryParam.class);
            if (query != null) {
                parameters.add(query.value());
            }
        }
        Set<String> documentedParameters = new TreeSet<>();
        document.at("/paths/~1admin~1campaigns/get/parameters").forEach(p -> documentedParameters.add(p.get("name").asText()));
        assertThat(documentedParameters).contains("tag", "q").isEqualTo(parameters);
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
