package com.o7tracker.track;

import nl.basjes.parse.useragent.UserAgent;
import nl.basjes.parse.useragent.UserAgentAnalyzer;

/**
 * What a tracking link's User-Agent says: a robot or link-preview fetcher, or a visitor on one of
 * the platforms. Parsed by yauaa, restricted to the fields needed, with its own bounded cache of
 * parses by User-Agent string.
 */
public final class UserAgents {

    /** A click's verdict: the platform it counts for, or a bot (counted apart). */
    public record Verdict(String platform, boolean bot) {
    }

    private final UserAgentAnalyzer analyzer;

    public UserAgents(int cacheSize) {
        this.analyzer = UserAgentAnalyzer.newBuilder()
                .withFields(UserAgent.DEVICE_CLASS, UserAgent.OPERATING_SYSTEM_NAME, UserAgent.AGENT_CLASS)
                .withCache(cacheSize)
                .hideMatcherLoadStats()
                .immediateInitialization()
                .build();
    }

    public Verdict classify(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return new Verdict("Other", false);
        }
        UserAgent parsed = analyzer.parse(userAgent);
        String deviceClass = parsed.getValue(UserAgent.DEVICE_CLASS);
        String agentClass = parsed.getValue(UserAgent.AGENT_CLASS);
        String os = parsed.getValue(UserAgent.OPERATING_SYSTEM_NAME);
        boolean bot = deviceClass.startsWith("Robot") || deviceClass.equals("Spy") || deviceClass.equals("Hacker")
                || agentClass.startsWith("Robot") || agentClass.equals("Cloud Application") || agentClass.equals("Special");
        String platform = switch (os) {
            case "Android" -> "Android";
            case "iOS", "iPadOS" -> "IPhone";
            case "Windows Phone", "Windows Mobile", "Windows 10 Mobile" -> "WindowsPhone";
            default -> "Other";
        };
        return new Verdict(platform, bot);
    }
}
