package com.o7tracker.track;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.o7tracker.campaign.Platform;
import com.o7tracker.dimension.Values;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.LongSupplier;
import nl.basjes.parse.useragent.UserAgent;
import nl.basjes.parse.useragent.UserAgentAnalyzer;

/**
 * What a tracking link's User-Agent says: the platform of the visitor, and whether it is a bot (a
 * crawler or a link-preview fetcher such as Slackbot, WhatsApp or facebookexternalhit). Parsed by
 * yauaa, restricted to the five fields needed; verdicts are cached by User-Agent string, so a
 * parse costs once per distinct string (about a millisecond here, a cached verdict well under a
 * microsecond).
 *
 * <p>One parse runs at a time (the parser's own rule), and a string is parsed once however many
 * clicks carry it meanwhile (they wait for that parse). A click never waits long for the parser, and
 * few clicks wait at once: past {@code userAgents.maxWait} (200 ms) of waiting, or when
 * {@code userAgents.maxWaiting} (16) clicks are waiting already (a flood of made-up User-Agents: at
 * about 1 ms a parse, it would otherwise hold a request thread per string, up to all of them), the
 * verdict is read from the User-Agent's own tokens instead ({@link #byToken}), not cached, and
 * counted in the metric {@code clicks.userAgents.unparsed}. A cached verdict takes no permit. And
 * the parser takes at most {@code userAgents.parserShare} (a quarter) of one core's time: after
 * each parse it rests three times as long, which counts as busy like the parse itself (a made-up
 * string costs about 1.4 ms of CPU to parse; a flood would otherwise keep the parser busy on one of
 * this machine's two cores).
 */
public final class UserAgents {

    /**
     * A click's verdict: the platform it counts for, or a bot (counted apart, on any platform), and
     * the names of its operating system and browser (yauaa's, by {@link Values#software}).
     */
    public record Verdict(Platform platform, boolean bot, String os, String browser) {

        /** A verdict that names no operating system or browser. */
        public Verdict(Platform platform, boolean bot) {
            this(platform, bot, Values.NONE, Values.NONE);
        }
    }

    static final Verdict NO_USER_AGENT = new Verdict(Platform.OTHER, false);
    /** Only this much of a User-Agent is read: the platform and bot tokens come first, and the cache stays bounded. */
    static final int MAX_LENGTH = 512;
    private static final int CACHE_SIZE = 20_000;
    static final ReentrantLock PARSER = new ReentrantLock();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private static final Set<String> BOT_DEVICE_CLASSES = Set.of("Robot", "Robot Mobile", "Robot Imitator");
    private static final Set<String> BOT_AGENT_CLASSES = Set.of("Robot", "Robot Mobile", "Cloud Application");
    private static final Set<String> APP_AGENT_CLASSES = Set.of("Mobile App", "Special");

    private final Cache<String, Verdict> verdicts;
    private final ConcurrentHashMap<String, CompletableFuture<Verdict>> parsing = new ConcurrentHashMap<>();
    private final Meter parses;
    private final Meter unparsed;
    private final long maxWaitMillis;
    /** How long the clicks of a string that is being parsed wait for that parse. */
    private final long sameStringWaitMillis;
    /** Permits for the clicks that may wait for the parser at once; a click that finds none does not wait. */
    private final Semaphore waiting;
    private final LongSupplier nanoClock;
    private final LongSupplier cpuClock;
    private final Function<String, Verdict> parser;
    private final double parserShare;
    /** Until when the parser rests after its last parse (written under {@link #PARSER}). */
    private volatile long restUntil;

    /** With the default settings ({@link UserAgentsFactory}). */
    public UserAgents(MetricRegistry metrics) {
        this(new UserAgentsFactory(), metrics);
    }

    public UserAgents(UserAgentsFactory config, MetricRegistry metrics) {
        this(config, metrics, System::nanoTime,
                THREADS.isCurrentThreadCpuTimeSupported() ? THREADS::getCurrentThreadCpuTime : System::nanoTime,
                UserAgents::parse);
    }

    /** With the parser and the clocks (wall time, and the current thread's CPU time) given (tests). */
    UserAgents(UserAgentsFactory config, MetricRegistry metrics, LongSupplier nanoClock, LongSupplier cpuClock,
               Function<String, Verdict> parser) {
        this.nanoClock = nanoClock;
        this.cpuClock = cpuClock;
        this.parser = parser;
        this.parserShare = config.getParserShare();
        this.restUntil = nanoClock.getAsLong();
        this.maxWaitMillis = config.getMaxWait().toMilliseconds();
        this.sameStringWaitMillis = maxWaitMillis + 1_000;
        this.waiting = new Semaphore(config.getMaxWaiting());
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
        if (waiting.tryAcquire()) {
            try {
                verdict = parseOrAwait(key);
            } finally {
                waiting.release();
            }
        }
        if (verdict == null) {
            unparsed.mark();
            return byToken(key);
        }
        return verdict;
    }

    /** This click's parse of the string, or another click's of the same string; null if none in time. */
    private Verdict parseOrAwait(String key) {
        CompletableFuture<Verdict> mine = new CompletableFuture<>();
        CompletableFuture<Verdict> theirs = parsing.putIfAbsent(key, mine);
        if (theirs != null) {
            return await(theirs);
        }
        Verdict verdict = null;
        try {
            verdict = verdicts.getIfPresent(key); // another click's parse may have ended since the first look
            if (verdict == null) {
                verdict = parseWithin(key, maxWaitMillis);
                if (verdict != null) {
                    verdicts.put(key, verdict);
                }
            }
        } finally {
            mine.complete(verdict);
            parsing.remove(key, mine);
        }
        return verdict;
    }

    /** The verdict another click's parse of the same string gives, or null if it gave none in time. */
    private Verdict await(CompletableFuture<Verdict> parse) {
        try {
            return parse.get(sameStringWaitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | TimeoutException e) {
            return null;
        }
    }

    /**
     * The parser's verdict, or null if the parser stayed busy (parsing, or resting after a parse)
     * for {@code waitMillis}, or failed.
     */
    private Verdict parseWithin(String userAgent, long waitMillis) {
        long deadline = nanoClock.getAsLong() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        if (restUntil - deadline > 0) {
            return null;
        }
        try {
            if (!PARSER.tryLock(waitMillis, TimeUnit.MILLISECONDS)) {
                return null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        boolean parsing = false;
        long cpuBefore = 0;
        try {
            // Resting is busy too: this click waits through the rest if its own wait lasts that long.
            if (restUntil - deadline > 0) {
                return null;
            }
            for (long rest; (rest = restUntil - nanoClock.getAsLong()) > 0; ) {
                LockSupport.parkNanos(rest);
                if (Thread.currentThread().isInterrupted()) {
                    return null;
                }
            }
            cpuBefore = cpuClock.getAsLong();
            parsing = true;
            parses.mark();
            return parser.apply(userAgent);
        } catch (RuntimeException e) {
            return null; // a string the parser cannot take: read by its token, like an overload
        } finally {
            if (parsing) {
                // The parse's CPU time (not its wall time, which a busy machine stretches) and the rest
                // after it: the parse's share of the two is parserShare.
                long cpu = cpuClock.getAsLong() - cpuBefore;
                restUntil = nanoClock.getAsLong() + (long) (cpu * (1 / parserShare - 1));
            }
            PARSER.unlock();
        }
    }


    /**
     * The verdict while the parser is overloaded, from the User-Agent's own tokens: the platform's
     * name, and a bot unless it is a browser's string ("Mozilla/…") without "bot" in it. Rougher
     * than the parser (an app's own HTTP client is a bot here), but a visitor still reaches the
     * store of their platform and a crawler still counts apart.
     */
    static Verdict byToken(String userAgent) {
        boolean bot = !userAgent.startsWith("Mozilla/") || userAgent.toLowerCase(Locale.ROOT).contains("bot");
        Platform platform = Platform.OTHER;
        String os = Values.NONE;
        if (userAgent.contains("Windows Phone")) {
            platform = Platform.WINDOWS_PHONE;
            os = "Windows Phone";
        } else if (userAgent.contains("Android")) {
            platform = Platform.ANDROID;
            os = "Android";
        } else if (userAgent.contains("iPhone") || userAgent.contains("iPad") || userAgent.contains("iPod")) {
            platform = Platform.IPHONE;
            os = "iOS";
        }
        return new Verdict(platform, bot, os, Values.NONE);
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
        String os = parsed.getValue(UserAgent.OPERATING_SYSTEM_NAME);
        Platform platform = switch (os) {
            case "Android" -> Platform.ANDROID;
            case "iOS", "iPadOS" -> Platform.IPHONE;
            case "Windows Phone", "Windows Mobile", "Windows 10 Mobile" -> Platform.WINDOWS_PHONE;
            default -> Platform.OTHER;
        };
        return new Verdict(platform, bot, Values.software(os), Values.software(parsed.getValue(UserAgent.AGENT_NAME)));
    }

    /**
     * One parser per process: building it takes seconds and a few hundred MiB, and its parse is
     * synchronized, which only cache misses reach.
     */
    private static final class Analyzer {
        static final UserAgentAnalyzer INSTANCE = UserAgentAnalyzer.newBuilder()
                .withFields(UserAgent.DEVICE_CLASS, UserAgent.OPERATING_SYSTEM_NAME, UserAgent.AGENT_CLASS,
                        UserAgent.LAYOUT_ENGINE_CLASS, UserAgent.AGENT_NAME)
                .withoutCache()
                .dropTests()
                .withUserAgentMaxLength(MAX_LENGTH)
                .hideMatcherLoadStats()
                .immediateInitialization()
                .build();

        static {
            // The first parses of a fresh parser are the slowest: made here, at start, not by the first clicks.
            for (String sample : new String[] {
                "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36",
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
                "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
                "WhatsApp/2.23.20.0 A"}) {
                INSTANCE.parse(sample);
            }
        }
    }
}
