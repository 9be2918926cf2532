-- The line every wrk script of bench/run ends with, which bench/run reads.
function done(summary, latency, requests)
  io.write(string.format(
    "RESULT requests=%d duration_us=%d errors=%d non3xx=%d p50_us=%d p99_us=%d p999_us=%d\n",
    summary.requests, summary.duration,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, latency:percentile(50), latency:percentile(99), latency:percentile(99.9)))
end
