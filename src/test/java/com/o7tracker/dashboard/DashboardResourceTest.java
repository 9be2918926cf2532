package com.o7tracker.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import com.o7tracker.support.Json;
import com.o7tracker.web.ErrorMapper;
import com.o7tracker.web.Fallback;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.testing.junit5.ResourceExtension;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The dashboard's files: the page, every module it imports (found by reading the imports), its
 * style and uPlot's, its world map, each with its MIME type, the Content-Security-Policy and an ETag that answers
 * 304; no other name, and nothing outside the dashboard's folder.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class DashboardResourceTest {

    static final ResourceExtension RESOURCES = ResourceExtension.builder()
            .setRegisterDefaultExceptionMappers(false)
            .addResource(new DashboardResource())
            .addProvider(new ErrorMapper(new Fallback("https://fallback.example/", new MetricRegistry())))
            .build();
    private static final Path FOLDER = Path.of("src/main/resources/dashboard");

    @Test
    void thePageLoadsItsEntryModuleAndStylesFromTheJar() {
        Response page = RESOURCES.target("/admin").request().get();
        assertThat(page.getStatus()).isEqualTo(200);
        assertThat(page.getHeaderString("Content-Type")).isEqualTo("text/html;charset=utf-8");
        assertThat(page.getHeaderString("Content-Security-Policy")).isEqualTo(DashboardResource.POLICY);
        String html = page.readEntity(String.class);
        assertThat(html).contains("<script type=\"module\" src=\"/admin/ui/main.js\"></script>",
                "href=\"/admin/ui/dashboard.css\"", "href=\"/admin/ui/uplot.css\"");
        assertThat(html).as("no inline code or style, nothing from elsewhere").doesNotContain("style=", "onclick", "<script>", "src=\"http", "href=\"http", "src=\"//");
    }

    @Test
    void everyModuleTheDashboardImportsIsServedAsJavaScript() throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.list(FOLDER)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".js")).sorted().forEach(names::add);
        }
        List<String> imported = new ArrayList<>(List.of("main.js"));
        for (String name : names) {
            Matcher m = Pattern.compile("from '\\./([^']+)'").matcher(Files.readString(FOLDER.resolve(name)));
            while (m.find()) {
                imported.add(m.group(1));
            }
        }
        assertThat(imported).contains("uplot.js");
        assertThat(names).as("every module is imported").containsAll(List.of("main.js", "platforms.js"))
                .allMatch(imported::contains);
        for (String name : imported) {
            Response answer = RESOURCES.target("/admin/ui/" + name).request().get();
            assertThat(answer.getStatus()).as(name).isEqualTo(200);
            assertThat(answer.getHeaderString("Content-Type")).as(name).isEqualTo("text/javascript;charset=utf-8");
            assertThat(answer.getHeaderString("Content-Security-Policy")).as(name).isEqualTo(DashboardResource.POLICY);
            assertThat(answer.getHeaderString("X-Content-Type-Options")).as(name).isEqualTo("nosniff");
            assertThat(answer.readEntity(String.class)).as(name).isNotBlank();
        }
        assertThat(RESOURCES.target("/admin/ui/uplot.js").request().get().readEntity(String.class))
                .contains("export { uPlot as default }");
    }

    @Test
    void stylesAreServedAsCss() {
        for (String name : List.of("dashboard.css", "uplot.css")) {
            Response answer = RESOURCES.target("/admin/ui/" + name).request().get();
            assertThat(answer.getStatus()).as(name).isEqualTo(200);
            assertThat(answer.getHeaderString("Content-Type")).as(name).isEqualTo("text/css;charset=utf-8");
            assertThat(answer.readEntity(String.class)).as(name).isNotBlank();
        }
        assertThat(RESOURCES.target("/admin/ui/uplot.css").request().get().readEntity(String.class)).contains(".u-legend");
    }

    @Test
    void theWorldMapIsServedAsSvgWithAPathPerCountryByItsCode() {
        Response answer = RESOURCES.target("/admin/ui/world.svg").request().get();
        assertThat(answer.getStatus()).isEqualTo(200);
        assertThat(answer.getHeaderString("Content-Type")).isEqualTo("image/svg+xml;charset=utf-8");
        assertThat(answer.getHeaderString("Content-Security-Policy")).isEqualTo(DashboardResource.POLICY);
        String svg = answer.readEntity(String.class);
        assertThat(svg.length()).as("small enough to load with the page").isLessThan(200_000);
        assertThat(svg).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"")
                .contains("<path id=\"DE\" data-name=\"Germany\"", "<path id=\"US\"", "<path id=\"BR\"", "<path id=\"XK\"")
                .as("no script, link or event handler in it").doesNotContain("<script", "href", "<style")
                .doesNotContainPattern("\\son[a-z]+=");
        assertThat(Pattern.compile("<path id=\"[A-Z]{2}\"").matcher(svg).results().count()).isGreaterThan(150);
    }

    @Test
    void anUnchangedFileIsA304ByItsETag() {
        Response first = RESOURCES.target("/admin/ui/main.js").request().get();
        String tag = first.getHeaderString("ETag");
        assertThat(tag).matches("\"[0-9a-f]{32}\"");
        assertThat(first.getHeaderString("Cache-Control")).isEqualTo("no-cache");
        Response again = RESOURCES.target("/admin/ui/main.js").request().header("If-None-Match", tag).get();
        assertThat(again.getStatus()).isEqualTo(304);
        assertThat(again.getHeaderString("ETag")).isEqualTo(tag);
        assertThat(again.getHeaderString("Content-Security-Policy")).isEqualTo(DashboardResource.POLICY);
        Response other = RESOURCES.target("/admin/ui/main.js").request().header("If-None-Match", "\"other\"").get();
        assertThat(other.getStatus()).isEqualTo(200);
        assertThat(RESOURCES.target("/admin/ui/list.js").request().get().getHeaderString("ETag")).isNotEqualTo(tag);
    }

    @Test
    void noOtherNameIsServed() {
        for (String name : List.of("index.htm", "Main.js", "main.mjs", "..%2Fopenapi.yaml", "..%2F..%2Fconfig.yml",
                "uPlot.esm.js", "nothing.js", "main.js.map", "%2Fdashboard%2Fmain.js", "dashboard",
                "World.svg", "nothing.svg")) {
            Response answer = RESOURCES.target("/admin/ui/" + name).request().get();
            assertThat(answer.getStatus()).as(name).isEqualTo(404);
            String body = answer.readEntity(String.class);
            assertThat(Json.parse(body).get("msg").asText()).as(name).startsWith("No dashboard file");
        }
    }
}
