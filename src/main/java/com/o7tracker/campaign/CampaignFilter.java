package com.o7tracker.campaign;

import com.o7tracker.web.ApiException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which campaigns the list keeps: those that target any of {@code platforms}, carry any of
 * {@code tags}, and whose name or redirect URL holds {@code text} (case-insensitive); a filter not
 * given keeps every campaign. Each filter becomes an SQL condition of fixed text with its value
 * bound, so that PostgreSQL plans every combination with the index of each condition (V001, V012)
 * instead of one generic plan for all.
 *
 * @param platforms canonical names; empty: no filter
 * @param tags      lower case; empty: no filter
 * @param text      null: no filter
 */
public record CampaignFilter(String[] platforms, String[] tags, String text) {

    public static final CampaignFilter ALL = new CampaignFilter(new String[0], new String[0], null);
    public static final int MAX_TEXT_LENGTH = 200;
    public static final int MAX_FILTER_TAGS = 100;

    /**
     * From the list's query parameters: {@code platforms} (or {@code platform}) and {@code tag} (or
     * {@code tags}), each comma-separated and repeatable, blanks ignored; {@code q}, the text.
     */
    public static CampaignFilter parse(List<String> platforms, List<String> platform, List<String> tag,
                                       List<String> tags, String q) {
        return new CampaignFilter(platforms(platforms, platform), tags(tag, tags), text(q));
    }

    /** The SQL after the keyset condition: one {@code AND …} per filter given, over :platforms, :tags and :pattern. */
    String conditions() {
        StringBuilder sql = new StringBuilder();
        if (platforms.length > 0) {
            sql.append(" AND platforms && CAST(:platforms AS text[])");
        }
        if (tags.length > 0) {
            sql.append(" AND tags && CAST(:tags AS text[])");
        }
        if (text != null) {
            sql.append(" AND (name ILIKE :pattern OR redirect_url ILIKE :pattern)");
        }
        return sql.toString();
    }

    /** {@code text} as a LIKE pattern that matches it anywhere, its own {@code %}, {@code _} and {@code \} as themselves. */
    String pattern() {
        if (text == null) {
            return null;
        }
        StringBuilder pattern = new StringBuilder(text.length() + 2).append('%');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' || c == '_' || c == '\\') {
                pattern.append('\\');
            }
            pattern.append(c);
        }
        return pattern.append('%').toString();
    }

    private static String[] platforms(List<String> platforms, List<String> platform) {
        Set<String> names = new LinkedHashSet<>();
        for (String name : pieces(platforms, platform)) {
            names.add(Platform.parse(name).orElseThrow(() -> ApiException.badRequest(
                    "Query parameter platforms holds unknown platform " + ApiException.quote(name)
                            + "; known: " + Platform.NAMES + ".")).canonical());
        }
        return names.toArray(String[]::new);
    }

    private static String[] tags(List<String> tag, List<String> tags) {
        Set<String> wanted = new LinkedHashSet<>();
        for (String sent : pieces(tag, tags)) {
            wanted.add(Labels.tag(sent).orElseThrow(() -> ApiException.badRequest(
                    "Query parameter tag holds " + ApiException.quote(sent) + ", which is not a tag: " + Labels.TAG_RULE + ".")));
            if (wanted.size() > MAX_FILTER_TAGS) {
                throw ApiException.badRequest("Query parameter tag may name at most " + MAX_FILTER_TAGS + " tags.");
            }
        }
        return wanted.toArray(String[]::new);
    }

    private static String text(String q) {
        if (q == null) {
            return null;
        }
        if (q.isEmpty() || q.codePointCount(0, q.length()) > MAX_TEXT_LENGTH || !Labels.isText(q)) {
            throw ApiException.badRequest("Query parameter q must be 1 to " + MAX_TEXT_LENGTH
                    + " characters of text, without control characters.");
        }
        return q;
    }

    /** Every non-blank comma-separated piece of the values of both spellings, trimmed. */
    private static List<String> pieces(List<String> values, List<String> otherSpelling) {
        List<String> pieces = new ArrayList<>();
        for (List<String> list : List.of(values, otherSpelling)) {
            for (String value : list) {
                for (String piece : value.split(",")) {
                    if (!piece.isBlank()) {
                        pieces.add(piece.trim());
                    }
                }
            }
        }
        return pieces;
    }
}
