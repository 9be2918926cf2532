package com.o7tracker.web;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.o7tracker.settings.Setting;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.ArrayList;
import java.util.List;

/** The settings of {@link ClientAddress}: which proxies are believed, and how many of them append. */
public class ClientAddressFactory {

    /**
     * Proxies that each append the address they saw to X-Forwarded-For (App Engine Flexible: 2, see
     * app.yaml). 0: X-Forwarded-For is never read.
     */
    @Min(value = 0, message = "must be 0 or more (TRUSTED_PROXIES: how many proxies append to X-Forwarded-For)")
    @Max(value = 10, message = "must be at most 10 (TRUSTED_PROXIES: how many proxies append to X-Forwarded-For)")
    @Setting
    private int trustedProxies = 0;

    /**
     * Where a connection must come from for its X-Forwarded-For to be read: loopback, the private
     * ranges (App Engine Flexible's proxy on the instance reaches the app from the Docker bridge,
     * 172.17.0.1, the address app.yaml's Cloud SQL connection uses too), and the ranges Google
     * documents for its load balancers' proxies and health checks. A client that reaches the port
     * directly from anywhere else is counted by its connection's address, whatever it sends.
     */
    @Setting
    private String trustedProxyRanges =
            "127.0.0.0/8,::1/128,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7,35.191.0.0/16,130.211.0.0/22";

    @JsonIgnore
    @ValidationMethod(message = "clientAddress.trustedProxyRanges must be comma-separated CIDR ranges such as"
            + " 10.0.0.0/8 or fc00::/7 (TRUSTED_PROXY_RANGES)")
    public boolean isTrustedProxyRanges() {
        try {
            ranges();
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public ClientAddress build() {
        return new ClientAddress(trustedProxies, ranges());
    }

    private List<ClientAddress.Range> ranges() {
        List<ClientAddress.Range> ranges = new ArrayList<>();
        for (String cidr : trustedProxyRanges.split(",")) {
            if (!cidr.isBlank()) {
                ranges.add(ClientAddress.Range.parse(cidr));
            }
        }
        return ranges;
    }

    public int getTrustedProxies() {
        return trustedProxies;
    }
}
