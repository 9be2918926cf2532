package com.o7tracker.campaign;

import java.security.SecureRandom;
import java.time.Instant;
import com.o7tracker.campaign.CampaignChanges.Change;
import java.util.List;
import java.util.Optional;

/**
 * Campaign writes, each told to the listeners once committed and before the reply, in the order
 * given: the caches first (the new state is written through before the reply), then the sinks
 * that tell others (live events).
 */
public class CampaignService {

    /** Ids stay below 2^53 so JavaScript clients read them exactly. */
    public static final long MAX_ID = (1L << 53) - 1;
    /** Drawn from [2^32, 2^53): random, so the public /track path cannot be walked in sequence. */
    private static final long MIN_ID = 1L << 32;

    private final CampaignDao dao;
    private final List<CampaignChanges> listeners;
    private final SecureRandom random = new SecureRandom();

    public CampaignService(CampaignDao dao, CampaignChanges... listeners) {
        this.dao = dao;
        this.listeners = List.of(listeners);
    }

    public Campaign create(CampaignRequest request) {
        for (int attempt = 0; attempt < 10; attempt++) {
            long id = MIN_ID + (long) (random.nextDouble() * (MAX_ID - MIN_ID));
            Optional<Campaign> created = dao.insert(id, request);
            if (created.isPresent()) {
                tell(id, Change.CREATED);
                return created.get();
            }
        }
        throw new IllegalStateException("No free campaign id after 10 draws");
    }

    public Optional<Campaign> find(long id) {
        return dao.findById(id);
    }

    /** A page, newest first, strictly after the cursor, of the campaigns the filter keeps. */
    public List<Campaign> list(CampaignFilter filter, Instant afterCreatedAt, long afterId, int limit) {
        return dao.listPage(filter, afterCreatedAt, afterId, limit);
    }

    public Optional<Campaign> update(long id, CampaignRequest request) {
        Optional<Campaign> updated = dao.update(id, request);
        updated.ifPresent(c -> tell(id, Change.UPDATED));
        return updated;
    }

    public boolean delete(long id) {
        boolean deleted = dao.delete(id);
        if (deleted) {
            tell(id, Change.DELETED);
        }
        return deleted;
    }

    private void tell(long id, Change change) {
        for (CampaignChanges listener : listeners) {
            listener.changed(id, change);
        }
    }
}
