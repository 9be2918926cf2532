package com.o7tracker.campaign;

/** Told of every campaign created, changed or deleted through this instance, once it is committed. */
public interface CampaignChanges {

    void changed(long id);
}
