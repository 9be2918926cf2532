package com.o7tracker.counting;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.regex.Matcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reading the segments back: at open, recovery finds them, validates every record and cuts a torn
 * tail; afterwards, replay folds the clicks at a range of positions into counts for the flusher.
 * Both read through {@link JournalRecord#scan}, and both go on past positions that are missing or
 * damaged, saying which: counting goes on without those clicks rather than stopping for good.
 *
 * <p>The segments are those of {@link JournalSegments}, a concurrent map; recovery fills it under
 * the directory's monitor, replay reads a copy of it from the flusher's thread.
 */
final class JournalRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(JournalRecovery.class);

    private final Path directory;
    private final NavigableMap<Long, Path> segments;
    private final JournalRecord format = new JournalRecord();

    JournalRecovery(Path directory, NavigableMap<Long, Path> segments) {
        this.directory = directory;
        this.segments = segments;
    }

    /**
     * Finds the segments, validates every one (showing {@code seen} each valid record), cuts a torn
     * tail, and returns the position after the last good record. What it accepts is forced to
     * disk: records a killed process had written but not yet synced must not be applied to
     * PostgreSQL and then lost to a power loss.
     */
    long recover(JournalRecord.Visitor seen) throws IOException {
        segments.clear();
        try (var files = Files.list(directory)) {
            files.forEach(path -> {
                Matcher m = JournalDirectory.SEGMENT.matcher(path.getFileName().toString());
                if (m.matches()) {
                    try {
                        // An earlier version's segment and this one's at one position: one of them is empty
                        // (opened after recovery ended there), and the earlier one is about to be deleted.
                        Path other = segments.putIfAbsent(Long.parseLong(m.group(1)), path);
                        if (other != null && JournalRecord.Format.of(path) == JournalRecord.WRITTEN) {
                            segments.put(Long.parseLong(m.group(1)), path);
                        }
                    } catch (NumberFormatException e) {
                        // Twenty digits can name more positions than a journal has: no segment of its own.
                        LOG.error("Journal file {} names a position past the last possible one; it is not read", path);
                    }
                }
            });
        }
        long recovered = segments.isEmpty() ? 0 : segments.firstKey();
        for (Map.Entry<Long, Path> entry : segments.entrySet()) {
            long base = entry.getKey();
            Long next = segments.higherKey(base);
            if (base > recovered) {
                LOG.error("Journal positions {} to {} are missing in {}", recovered, base, directory);
            }
            JournalRecord.Format recordFormat = JournalRecord.Format.of(entry.getValue());
            try (FileChannel channel = FileChannel.open(entry.getValue(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                long records = channel.size() / recordFormat.bytes;
                long limit = base + (next == null ? records : Math.min(records, next - base));
                List<String> values = recordFormat == JournalRecord.Format.VISITS
                        ? JournalValues.read(entry.getValue(), base) : List.of();
                long good = format.scan(channel, recordFormat, values, base, base, limit, seen);
                long goodBytes = (good - base) * recordFormat.bytes;
                if (next == null && channel.size() != goodBytes) {
                    LOG.warn("Cutting the torn tail of {} at record {} ({} bytes dropped)", entry.getValue(), good - base,
                            channel.size() - goodBytes);
                    channel.truncate(goodBytes);
                    channel.force(true);
                } else if (next != null && good < next) {
                    LOG.error("Journal segment {} is damaged at position {}; positions up to {} are skipped",
                            entry.getValue(), good, next);
                }
                JournalValues.forceBeside(entry.getValue());
                channel.force(false);
                recovered = good;
            }
        }
        return recovered;
    }

    /**
     * The clicks at positions [from, to), folded into {@code counts} as a flush applies them;
     * returns it. Positions that recovery found missing or damaged are skipped and reported the
     * same way here.
     */
    ClickCounts replay(long from, long to, ClickCounts counts) throws IOException {
        JournalRecord.Visitor add = (seq, campaignId, kind, minute, visit) -> counts.add(campaignId, kind, minute, visit, 1);
        List<Map.Entry<Long, Path>> list = new ArrayList<>(segments.entrySet());
        long expected = from;
        for (int i = 0; i < list.size() && expected < to; i++) {
            long base = list.get(i).getKey();
            long limit = Math.min(to, i + 1 < list.size() ? list.get(i + 1).getKey() : to);
            if (limit <= expected) {
                continue;
            }
            if (base > expected) {
                LOG.error("Journal positions {} to {} are missing in {}; their clicks are not counted", expected, base, directory);
                expected = base;
            }
            Path path = list.get(i).getValue();
            JournalRecord.Format recordFormat = JournalRecord.Format.of(path);
            List<String> values = recordFormat == JournalRecord.Format.VISITS ? JournalValues.read(path, base) : List.of();
            try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
                long reached = format.scan(channel, recordFormat, values, base, expected, limit, add);
                if (reached < limit) {
                    LOG.error("Journal segment {} is damaged at position {}; positions up to {} are not counted",
                            list.get(i).getValue(), reached, limit);
                }
                expected = limit;
            }
        }
        if (expected < to) {
            LOG.error("Journal positions {} to {} are missing in {}; their clicks are not counted", expected, to, directory);
        }
        return counts;
    }

    /**
     * The clicks from position {@code from} on, up to {@code to} at most, folded into {@code into}
     * until they fill about {@code maxRows} rows ({@link ClickCounts#rows}; at most twice as many): a
     * piece of a backlog that one transaction applies. Returns the position it reached.
     */
    long replayPiece(long from, long to, int maxRows, ClickCounts into) throws IOException {
        long step = Math.max(1, maxRows);
        long reached = from;
        while (reached < to && into.rows() < maxRows) {
            long limit = Math.min(to, reached + step);
            replay(reached, limit, into);
            reached = limit;
        }
        return reached;
    }
}
