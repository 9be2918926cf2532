import com.codahale.metrics.MetricRegistry;
import com.o7tracker.geo.CountryDatabase;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;

/**
 * Prints client addresses from as many countries as asked (one address per country, one per line),
 * found by looking random public IPv4 addresses up in a country database: bench/run's clicks come
 * from these, through a trusted X-Forwarded-For.
 *
 *   java -cp target/o7tracker.jar:DIR Addresses DATABASE COUNT
 */
public final class Addresses {
    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[1]);
        var checks = Executors.newSingleThreadScheduledExecutor();
        CountryDatabase database = CountryDatabase.open(Path.of(args[0]), checks, 60_000, new MetricRegistry());
        Map<String, String> byCountry = new LinkedHashMap<>();
        Random random = new Random(7);
        for (int tries = 0; tries < 20_000_000 && byCountry.size() < count; tries++) {
            int first = 1 + random.nextInt(223);
            if (first == 10 || first == 127 || first == 100 || first == 172 || first == 192 || first == 169) {
                continue;
            }
            byte[] bytes = {(byte) first, (byte) random.nextInt(256), (byte) random.nextInt(256), (byte) (1 + random.nextInt(254))};
            InetAddress address = InetAddress.getByAddress(bytes);
            database.lookup(address).ifPresent(country -> byCountry.putIfAbsent(country, address.getHostAddress()));
        }
        byCountry.values().forEach(System.out::println);
        checks.shutdownNow();
    }
}
