package com.o7tracker;

import static org.assertj.core.api.Assertions.assertThat;

import com.o7tracker.support.Http;
import com.o7tracker.support.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The README's examples, run as a newcomer runs them: every {@code ```sh} block, in order, in one
 * bash, against a freshly started service. The README gives {@code BASE} a default and uses
 * {@code $AUTH_PASSWORD}; this test sets both to the service it started. An example fails the test
 * by a command that fails ({@code -e}, {@code pipefail}), by an error answer ({@code curl} runs with
 * {@code --fail-with-body}), or by a redirect to the fallback, which no example means to reach.
 * A block that is not meant to run against the service is marked on the line above its fence with
 * {@value #NOT_RUN}{@code  why -->}.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ReadmeExamplesIT {

    static final String NOT_RUN = "<!-- not run by ReadmeExamplesIT:";
    private static final String FALLBACK = "https://fallback.example/";
    private static final String DONE = "### every example ran";

    static final DropwizardAppExtension<O7TrackerConfiguration> APP = TestApp.withoutMemcached("fallbackUrl", FALLBACK);

    /** A {@code ```sh} block: the README's line of its first command, and its text. */
    record Example(int line, String script) {
    }

    /** Every {@code ```sh} block not marked {@link #NOT_RUN}; the marked ones are counted in {@code notRun}. */
    static List<Example> examples(List<String> readme, List<Integer> notRun) {
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < readme.size(); i++) {
            String fence = readme.get(i);
            if (!fence.strip().equals("```sh")) {
                continue;
            }
            String indent = fence.substring(0, fence.indexOf('`'));
            StringBuilder script = new StringBuilder();
            int end = i + 1;
            while (end < readme.size() && !readme.get(end).strip().equals("```")) {
                String line = readme.get(end);
                script.append(line.startsWith(indent) ? line.substring(indent.length()) : line).append('\n');
                end++;
            }
            assertThat(end).as("the block at README.md line %d is closed", i + 1).isLessThan(readme.size());
            int above = i - 1;
            while (above >= 0 && readme.get(above).isBlank()) {
                above--;
            }
            if (above >= 0 && readme.get(above).strip().startsWith(NOT_RUN)) {
                assertThat(readme.get(above).strip()).as("README.md line %d says why its block is not run", above + 1)
                        .matches("<!-- not run by ReadmeExamplesIT: \\S.* -->");
                notRun.add(i + 1);
            } else {
                examples.add(new Example(i + 2, script.toString()));
            }
            i = end;
        }
        return examples;
    }

    @Test
    void everyShellExampleOfTheReadmeWorksOnAFreshServiceAsWritten() throws Exception {
        List<String> readme = Files.readAllLines(Path.of("README.md"));
        List<Integer> notRun = new ArrayList<>();
        List<Example> examples = examples(readme, notRun);
        assertThat(examples).as("the README's examples to run").hasSizeGreaterThanOrEqualTo(5);
        assertThat(readme.stream().filter(line -> line.strip().startsWith(NOT_RUN)).count())
                .as("every not-run mark stands right above a ```sh block").isEqualTo(notRun.size());

        StringBuilder script = new StringBuilder("""
                # An error answer fails its example (curl exits with 22), the answer shown.
                curl() { command curl --fail-with-body --no-progress-meter --max-time 30 "$@"; }
                """);
        for (Example example : examples) {
            script.append("echo '### README.md line ").append(example.line()).append("'\n").append(example.script());
        }
        script.append("echo '").append(DONE).append("'\n");
        Path scriptFile = Files.createDirectories(Path.of("target", "readme-examples")).resolve("examples.sh");
        Files.writeString(scriptFile, script);
        Path output = scriptFile.resolveSibling("output.txt");

        ProcessBuilder bash = new ProcessBuilder("bash", "-e", "-u", "-o", "pipefail", scriptFile.toString())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        bash.environment().put("BASE", "http://127.0.0.1:" + APP.getLocalPort());
        bash.environment().put("AUTH_PASSWORD", Http.PASSWORD);
        Process process = bash.start();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the README's examples did not finish within 3 minutes:\n" + Files.readString(output));
        }
        String out = Files.readString(output);
        assertThat(process.exitValue()).as("the examples' exit status; the last README.md line shown failed:\n%s", out).isZero();
        assertThat(out).as("every example ran").contains(DONE);
        for (Example example : examples) {
            assertThat(out).contains("### README.md line " + example.line());
        }
        assertThat(out).as("no example's click went to the fallback").doesNotContain(FALLBACK);
        assertThat(out).as("the tracking links' redirects are there to be checked")
                .contains("Location: https://github.com/otobrglez/o7tracker")
                .contains("307 https://github.com/otobrglez/o7tracker");
    }
}
