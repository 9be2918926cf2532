package com.o7tracker.campaign;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The platforms a click is counted for, in the spelling the API has always used, and {@code Other}
 * for every visitor on none of them (a desktop browser, an unknown or missing User-Agent).
 */
public enum Platform {
    ANDROID("Android"),
    IPHONE("IPhone"),
    WINDOWS_PHONE("WindowsPhone"),
    OTHER("Other");

    private static final Platform[] BY_CODE = values();

    /** The names, for error messages: "Android, IPhone, WindowsPhone, Other". */
    public static final String NAMES = String.join(", ",
            Arrays.stream(BY_CODE).map(Platform::canonical).toList());

    private final String canonical;

    Platform(String canonical) {
        this.canonical = canonical;
    }

    @JsonValue
    public String canonical() {
        return canonical;
    }

    /** The name its counters go by: {@code android} as in {@code android_click_count} and {@code bot_android} ({@link Counters}). */
    public String column() {
        return canonical.toLowerCase(Locale.ROOT);
    }

    /** The small stable number a click journal record stores for this platform (never reordered). */
    public byte code() {
        return (byte) ordinal();
    }

    public static Platform fromCode(int code) {
        return BY_CODE[code];
    }

    public static boolean isCode(int code) {
        return code >= 0 && code < BY_CODE.length;
    }

    /** Matches a name without regard to case: {@code android}, {@code IPHONE}, {@code windowsPhone}. */
    public static Optional<Platform> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String trimmed = name.trim();
        for (Platform platform : BY_CODE) {
            if (equalsAsciiIgnoreCase(platform.canonical, trimmed)) {
                return Optional.of(platform);
            }
        }
        return Optional.empty();
    }

    /** Only ASCII letters fold: {@code "androıd"} (dotless i) is not Android. */
    private static boolean equalsAsciiIgnoreCase(String canonical, String name) {
        if (canonical.length() != name.length()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char a = canonical.charAt(i);
            char b = name.charAt(i);
            if (a != b && (b < 'A' || b > 'z' || (a | 0x20) != (b | 0x20))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return canonical;
    }
}
