package com.o7tracker.counting;

/**
 * What became of one click, as its {@link ClickAck} hears it. Each outcome but {@link #RECORDED} is
 * counted in {@code clicks.unrecorded.<name>} (lower case, dashes), so renaming one renames a metric.
 */
public enum ClickOutcome { RECORDED, JOURNAL_ERROR, BACKLOG_FULL, ACK_TIMEOUT, STOPPED }
