package com.o7tracker.geo;

import com.o7tracker.dimension.Visit;
import com.o7tracker.web.ClientAddress;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A click's country, ISO 3166-1 alpha-2 in upper case, {@link #UNKNOWN} when it cannot be told:
 * what a trusted edge says in its header (App Engine's X-Appengine-Country, Cloudflare's
 * CF-IPCountry) on a connection from a trusted proxy, unless it says it does not know; otherwise what the country database has for the
 * client's address, the one the whole service takes ({@link ClientAddress}). A private, loopback
 * or unparseable address has no country.
 */
public final class Countries {

    /** App Engine's word for a country it cannot tell. */
    public static final String UNKNOWN = Visit.UNKNOWN_COUNTRY;

    /** What InetAddress does not tell: "this network", carrier-grade NAT, IPv6 unique local addresses. */
    private static final List<ClientAddress.Range> NOWHERE = List.of(ClientAddress.Range.parse("0.0.0.0/8"),
            ClientAddress.Range.parse("100.64.0.0/10"), ClientAddress.Range.parse("fc00::/7"));

    private final Optional<String> edgeHeader;
    private final ClientAddress clientAddress;
    private final Optional<CountryDatabase> database;

    /** {@code edgeHeader}: the header a trusted edge sets, or empty when none is trusted. */
    public Countries(Optional<String> edgeHeader, ClientAddress clientAddress, Optional<CountryDatabase> database) {
        this.edgeHeader = edgeHeader;
        this.clientAddress = clientAddress;
        this.database = database;
    }

    /**
     * Whether a country may come from the client's address (a database is configured): only then
     * does {@link #of} read the request's X-Forwarded-For, which a click need not gather otherwise.
     */
    public boolean looksUpAddresses() {
        return database.isPresent();
    }

    /** The name of the trusted edge's header, if one is. */
    public Optional<String> edgeHeader() {
        return edgeHeader;
    }

    /**
     * The country of a request: {@code edgeValue} (the trusted header's value, or null) when it
     * names one and the connection comes from a trusted proxy (the edge: a visitor who reaches the
     * port directly would choose their own country), else the database's for the client's
     * address ({@code remoteAddress} and the request's X-Forwarded-For headers, by
     * {@link ClientAddress}).
     */
    public String of(String edgeValue, String remoteAddress, List<String> forwardedFor) {
        Optional<String> told = code(edgeValue);
        if (told.isPresent() && ClientAddress.parse(remoteAddress).filter(clientAddress::isTrustedProxy).isPresent()) {
            return told.get();
        }
        if (database.isEmpty()) {
            return UNKNOWN;
        }
        InetAddress client;
        try {
            client = clientAddress.of(remoteAddress, forwardedFor);
        } catch (IllegalArgumentException e) {
            return UNKNOWN;
        }
        if (!isPublic(client)) {
            return UNKNOWN;
        }
        return database.get().lookup(client).flatMap(Countries::code).orElse(UNKNOWN);
    }

    /** Two ASCII letters other than ZZ and XX (the edges' words for "unknown"), in upper case; else empty. */
    static Optional<String> code(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String code = value.trim();
        if (code.length() != 2 || !letter(code.charAt(0)) || !letter(code.charAt(1))) {
            return Optional.empty();
        }
        code = code.toUpperCase(Locale.ROOT);
        return code.equals(UNKNOWN) || code.equals("XX") ? Optional.empty() : Optional.of(code);
    }

    private static boolean letter(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    /** Whether an address can be anywhere in particular: not loopback, private, link-local, multicast or unspecified. */
    static boolean isPublic(InetAddress address) {
        return !(address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()
                || NOWHERE.stream().anyMatch(range -> range.contains(address)));
    }
}
