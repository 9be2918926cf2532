package com.o7tracker.campaign;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Campaign writes keep every cache right: the new state is written through before the reply. */
public class CampaignService {

    /** Ids stay below 2^53 so JavaScript clients read them exactly. */
    public static final long MAX_ID = (1L << 53) - 1;
    /** Drawn from [2^32, 2^53): random, so the public /track path cannot be walked in sequence. */
    private static final long MIN_ID = 1L << 32;

    private final CampaignDao dao;
    private final CampaignChanges changes;
    private final SecureRandom random = new SecureRandom();

    public CampaignService(CampaignDao dao, CampaignChanges changes) {
        this.dao = dao;
        this.changes = changes;
    }

    public Campaign create(CampaignRequest request) {
        for (int attempt = 0; attempt < 10; attempt++) {
            long id = MIN_ID + (long) (random.nextDouble() * (MAX_ID - MIN_ID));
            Optional<Campaign> created = dao.insert(id, request);
            if (created.isPresent()) {
                changes.changed(id);
                return created.get();
            }
        }
        throw new IllegalStateException("No free campaign id after 10 draws");
    }

    public Optional<Campaign> find(long id) {
        return dao.findById(id);
    }

    /** A page, newest first, strictly after the cursor; {@code platforms} empty means all campaigns. */
    public List<Campaign> list(String[] platforms, Instant afterCreatedAt, long afterId, int limit) {
        return platforms.length == 0
                ? dao.listPage(afterCreatedAt, afterId, limit)
                : dao.listPageTargeting(platforms, afterCreatedAt, afterId, limit);
    }

    public Optional<Campaign> update(long id, CampaignRequest request) {
        Optional<Campaign> updated = dao.update(id, request);
        updated.ifPresent(c -> changes.changed(id));
        return updated;
    }

    public boolean delete(long id) {
        boolean deleted = dao.delete(id);
        if (deleted) {
            changes.changed(id);
        }
        return deleted;
    }
}
