package com.o7tracker.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.o7tracker.web.ApiException;
import org.junit.jupiter.api.Test;

/** The one rule for a campaign id in a path, shared by the tracking link and the admin API. */
class CampaignIdTest {

    @Test
    void aPositiveDecimalUpToTwoToTheFiftyThreeMinusOneIsAnId() {
        assertThat(CampaignId.parse("1")).hasValue(1);
        assertThat(CampaignId.parse("5928566696968192")).hasValue(5928566696968192L);
        assertThat(CampaignId.parse("9007199254740991")).hasValue(CampaignService.MAX_ID);
        assertThat(CampaignId.parse("007")).hasValue(7);
    }

    @Test
    void anythingElseIsNotAnId() {
        for (String bad : new String[] {"9007199254740992", "9999999999999999", "9223372036854775807",
                "9223372036854775808", "99999999999999999999999",
                "00000000000000001", "0", "000", "-5", "+5", " 5", "5 ", "1.5", "1e3",
                "abc", "", "٥", "0x10"}) {
            assertThat(CampaignId.parse(bad)).as(bad).isEmpty();
        }
        assertThat(CampaignId.parse(null)).isEmpty();
    }

    @Test
    void theAdminPathsReadAnIdByTheSameRuleWithOne400AndOne404() {
        CampaignIdParam id = CampaignIdParam.valueOf("007");
        assertThat(id.value()).isEqualTo(7);
        assertThat(id.unknown().getResponse().getStatus()).isEqualTo(404);
        assertThat(id.unknown()).hasMessage("Campaign 007 does not exist.");

        ApiException bad = catchThrowableOfType(ApiException.class, () -> CampaignIdParam.valueOf("-4"));
        assertThat(bad.getResponse().getStatus()).isEqualTo(400);
        assertThat(bad).hasMessage("Campaign id '-4' is not a positive integer below 2^53.");
    }
}
