package com.o7tracker.campaign;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

/** The platforms a click is counted for, in the spelling the API has always used. */
public enum Platform {
    ANDROID("Android"),
    IPHONE("IPhone"),
    WINDOWS_PHONE("WindowsPhone");

    private static final Platform[] BY_CODE = values();

    private final String canonical;

    Platform(String canonical) {
        this.canonical = canonical;
    }

    @JsonValue
    public String canonical() {
        return canonical;
    }

    /** The small stable number a click journal record stores for this platform. */
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
        switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "android":
                return Optional.of(ANDROID);
            case "iphone":
                return Optional.of(IPHONE);
            case "windowsphone":
                return Optional.of(WINDOWS_PHONE);
            default:
                return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return canonical;
    }
}
