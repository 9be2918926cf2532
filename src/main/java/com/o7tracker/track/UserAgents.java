package com.o7tracker.track;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.o7tracker.campaign.Platform;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import nl.basjes.parse.useragent.UserAgent;
import nl.basjes.parse.useragent.UserAgentAnalyzer;

/**
 * What a tracking link's User-Agent says: the platform of the visitor, and whether it is a bot (a
 * crawler or a link-preview fetcher such as Slackbot, WhatsApp or facebookexternalhit). Parsed by
 * yauaa, restricted to the four fields needed; verdicts are cached by User-Agent string, so a
 * parse costs once per distinct string (about a millisecond here, a cached verdict well under a
 * microsecond).
 *
 * <p>One parse runs at a time (the parser's own rule). A click never waits long for it: when
 * the parser has been busy for {@link #MAX_WAIT_MILLIS} (a flood of made-up User-Agents), the
 * verdict is read from the platform's own token instead, not cached, and counted in the metric
 * {@code clicks.userAgents.unparsed}.
 */
public final class UserAgents {

    /** A click's verdict: the platform it counts for, or a bot (counted apart, on any platform). */
    public record Verdict(Platform platform, boolean bot) {
    }

    static final Verdict NO_USER_AGENT = new Verdict(Platform.OTHER, false);
    /** Only this much of a User-Agent is read: the platform and bot tokens come first, and the cache stays bounded. */
    static final int MAX_LENGTH = 512;
    private static final int CACHE_SIZE = 20_000;
    static final long MAX_WAIT_MILLIS = 50;
    static final ReentrantLock PARSER = new ReentrantLock();

    private static final Set<String> BOT_DEVICE_CLASSES = Set.of("Robot", "Robot Mobile", "Robot Imitator");
    private static final Set<String> BOT_AGENT_CLASSES = Set.of("Robot", "Robot Mobile", "Cloud Application");
    private static final Set<String> APP_AGENT_CLASSES = Set.of("Mobile App", "Special");

    private final Cache<String, Verdict> verdicts;
    private final Meter parses;
    private final Meter unparsed;

    public UserAgents(MetricRegistry metrics) {
        this.verdicts = Caffeine.newBuilder().maximumSize(CACHE_SIZE).recordStats().build();
        this.parses = metrics.meter("clicks.userAgents.parses");
        this.unparsed = metrics.meter("clicks.userAgents.unparsed");
        Analyzer.INSTANCE.hashCode(); // builds the parser now, at start, rather than at the first click
        metrics.gauge("clicks.userAgents.hitRatio", () -> () -> verdicts.stats().hitRate());
    }

    public Verdict classify(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return NO_USER_AGENT;
        }
        String key = userAgent.length() > MAX_LENGTH ? userAgent.substring(0, MAX_LENGTH) : userAgent;
        Verdict verdict = verdicts.getIfPresent(key);
        if (verdict != null) {
            return verdict;
        }
        verdict = parseWithin(key, MAX_WAIT_MILLIS);
        if (verdict == null) {
            unparsed.mark();
            return byToken(key);
        }
        verdicts.put(key, verdict);
        return verdict;
    }

    /** The parser's verdict, or null if the parser stayed busy for {@code waitMillis} or failed. */
    private Verdict parseWithin(String userAgent, long waitMillis) {
        try {
            if (!PARSER.tryLock(waitMillis, TimeUnit.MILLISECONDS)) {
                return null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        try {
            parses.mark();
            return parse(userAgent);
        } catch (RuntimeException e) {
            return null; // a string the parser cannot take: read by its token, like an overload
        } finally {
            PARSER.unlock();
        }
    }

    /**
     * The verdict while the parser is overloaded: the platform's own token, never a bot. Rough
     * (no bots told apart), but a visitor still reaches the store of the platform.
     */
    static Verdict byToken(String userAgent) {
        if (userAgent.contains("Windows Phone")) {
            return new Verdict(Platform.WINDOWS_PHONE, false);
        }
        if (userAgent.contains("Android")) {
            return new Verdict(Platform.ANDROID, false);
        }
        if (userAgent.contains("iPhone") || userAgent.contains("iPad") || userAgent.contains("iPod")) {
            return new Verdict(Platform.IPHONE, false);
        }
        return NO_USER_AGENT;
    }

    private static Verdict parse(String userAgent) {
        UserAgent parsed = Analyzer.INSTANCE.parse(userAgent);
        String deviceClass = parsed.getValue(UserAgent.DEVICE_CLASS);
        String agentClass = parsed.getValue(UserAgent.AGENT_CLASS);
        // Crawlers, and HTTP libraries (curl, Java's client): robots by device or agent class. An
        // app that fetches the link itself, with no browser engine (WhatsApp, Viber, Snapchat,
        // Instagram's own client), is making a link preview; the same apps' in-app browsers have
        // one (a "Browser" layout engine) and carry visitors. A User-Agent that is no User-Agent
        // at all ("Hacker" to the parser) is a visitor on Other, as is an unknown one.
        boolean bot = BOT_DEVICE_CLASSES.contains(deviceClass) || BOT_AGENT_CLASSES.contains(agentClass)
                || (APP_AGENT_CLASSES.contains(agentClass)
                        && !parsed.getValue(UserAgent.LAYOUT_ENGINE_CLASS).equals("Browser"));
        Platform platform = switch (parsed.getValue(UserAgent.OPERATING_SYSTEM_NAME)) {
            case "Android" -> Platform.ANDROID;
            case "iOS", "iPadOS" -> Platform.IPHONE;
            case "Windows Phone", "Windows Mobile", "Windows 10 Mobile" -> Platform.WINDOWS_PHONE;
            default -> Platform.OTHER;
        };
        return new Verdict(platform, bot);
    }

    /**
     * One parser per process: building it takes seconds and a few hundred MiB, and its parse is
     * synchronized, which only cache misses reach.
     */
    private static final class Analyzer {
        static final UserAgentAnalyzer INSTANCE = UserAgentAnalyzer.newBuilder()
                .withFields(UserAgent.DEVICE_CLASS, UserAgent.OPERATING_SYSTEM_NAME, UserAgent.AGENT_CLASS,
                        UserAgent.LAYOUT_ENGINE_CLASS)
                .withoutCache()
                .dropTests()
                .withUserAgentMaxLength(MAX_LENGTH)
                .hideMatcherLoadStats()
                .immediateInitialization()
                .build();
    }
}
