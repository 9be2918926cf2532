package com.o7tracker.cache;

import com.o7tracker.campaign.CampaignDao;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs what the caches write to memcached and checks what they read there. memcached has no
 * authentication, so a value is believed only if it carries the HMAC-SHA256, under the key every
 * instance shares in PostgreSQL, of the campaign's id and the state: a forged value, another
 * campaign's value copied under this key, or garbage is a miss. Checking the URL's form instead
 * would not do: a forged value can be a well-formed URL of anyone's site.
 *
 * <p>The key is read from PostgreSQL when the caches are built, and (by the caches' memcached
 * writer, never on the click path) every second while that fails: until then nothing is signed,
 * so nothing is written, and nothing read is believed.
 */
final class MemcachedSigner {

    private static final Logger LOG = LoggerFactory.getLogger(MemcachedSigner.class);
    private static final String ALGORITHM = "HmacSHA256";

    private final CampaignDao dao;
    private volatile SecretKeySpec key;

    MemcachedSigner(CampaignDao dao) {
        this.dao = dao;
    }

    /** The signature of {@code state} for campaign {@code id}; empty while the key cannot be read. */
    Optional<String> sign(long id, String state) {
        return key().map(k -> Base64.getUrlEncoder().withoutPadding().encodeToString(mac(k, id, state)));
    }

    /** Whether {@code signature} is the one this service made for {@code state} of campaign {@code id}. */
    boolean verify(long id, String state, String signature) {
        if (signature == null) {
            return false;
        }
        Optional<SecretKeySpec> k = key();
        if (k.isEmpty()) {
            return false;
        }
        byte[] given;
        try {
            given = Base64.getUrlDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(mac(k.get(), id, state), given);
    }

    private static byte[] mac(SecretKeySpec key, long id, String state) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM); // not thread-safe, and cheap beside a memcached round trip
            mac.init(key);
            mac.update((id + "\n").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(state.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is part of every Java runtime", e);
        }
    }

    /** Whether the key has been read. */
    boolean ready() {
        return key != null;
    }

    /** Reads the key (storing a new one if there is none yet) unless it has been; true once it has. */
    synchronized boolean load() {
        if (key != null) {
            return true;
        }
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        try {
            dao.memcachedSigningKey(fresh).ifPresent(secret -> key = new SecretKeySpec(secret, ALGORITHM));
        } catch (RuntimeException e) {
            LOG.warn("Could not read the memcached signing key ({}); memcached is not used until it can be", e.toString());
        }
        return key != null;
    }

    private Optional<SecretKeySpec> key() {
        return Optional.ofNullable(key);
    }
}
