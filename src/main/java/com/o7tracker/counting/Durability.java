package com.o7tracker.counting;

/** When a click counts as recorded, and so when its visitor gets the redirect. */
public enum Durability {
    /** After the click's journal record is on disk (fsync, shared by all clicks of a batch). Survives power loss. */
    FSYNC,
    /** After the record is written to the operating system. Survives a crash of the service, not of the machine. */
    WRITE,
    /** At once; the record is written a moment later. A crash of the service loses the clicks of that moment. */
    ASYNC
}
