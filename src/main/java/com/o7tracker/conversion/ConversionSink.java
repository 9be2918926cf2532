package com.o7tracker.conversion;

/**
 * Told of each conversion counted, after its commit and before the partner's answer, on the
 * postback's thread: it must not wait (a queue's offer, never a put or a network call). The live
 * events and the InfluxDB stream are told so.
 */
@FunctionalInterface
public interface ConversionSink {

    void counted(Conversion conversion, ConversionStore.Counted counted);
}
