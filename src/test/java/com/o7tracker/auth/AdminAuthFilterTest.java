package com.o7tracker.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.o7tracker.auth.AdminAuthFilter.Need;
import com.o7tracker.campaign.CampaignResource;
import com.o7tracker.clickid.ClickIdKeyResource;
import com.o7tracker.counting.UpdateStatsResource;
import com.o7tracker.events.EventsResource;
import com.o7tracker.web.HealthResource;
import com.o7tracker.web.Requires;
import com.o7tracker.web.Scope;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ResourceInfo;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What each kind of resource method needs of its caller, by the one rule of {@link AdminAuthFilter#need}. */
class AdminAuthFilterTest {

    /** A public resource that takes a key, as the postback does. */
    @Path("/postback-like")
    static class PublicWithKey {
        @GET
        @Requires(value = Scope.POSTBACK, keyInQuery = true)
        public String post() {
            return "";
        }
    }

    private static ResourceInfo info(Class<?> type, String method) {
        Method found = Arrays.stream(type.getMethods()).filter(m -> m.getName().equals(method)).findFirst().orElseThrow();
        return new ResourceInfo() {
            @Override
            public Method getResourceMethod() {
                return found;
            }

            @Override
            public Class<?> getResourceClass() {
                return type;
            }
        };
    }

    @Test
    void readingMethodsNeedReadAndTheRestWrite() {
        assertThat(AdminAuthFilter.need(info(CampaignResource.class, "get"), "GET")).hasValue(new Need(Optional.of(Scope.READ), false));
        assertThat(AdminAuthFilter.need(info(EventsResource.class, "headers"), "HEAD")).hasValue(new Need(Optional.of(Scope.READ), false));
        assertThat(AdminAuthFilter.need(info(CampaignResource.class, "create"), "POST")).hasValue(new Need(Optional.of(Scope.WRITE), false));
        assertThat(AdminAuthFilter.need(info(CampaignResource.class, "delete"), "DELETE")).hasValue(new Need(Optional.of(Scope.WRITE), false));
    }

    @Test
    void theKeysNeedThePasswordAndTheTasksWrite() {
        assertThat(AdminAuthFilter.need(info(ApiKeyResource.class, "list"), "GET")).hasValue(new Need(Optional.empty(), false));
        assertThat(AdminAuthFilter.need(info(ClickIdKeyResource.class, "rotate"), "POST"))
                .as("the click ids' keys too").hasValue(new Need(Optional.empty(), false));
        assertThat(AdminAuthFilter.need(info(UpdateStatsResource.class, "updateStats"), "GET"))
                .hasValue(new Need(Optional.of(Scope.WRITE), false));
    }

    @Test
    void aPublicResourceNeedsNothingUnlessItRequiresAScope() {
        assertThat(AdminAuthFilter.need(info(HealthResource.class, "liveness"), "GET")).isEmpty();
        assertThat(AdminAuthFilter.need(info(PublicWithKey.class, "post"), "GET")).hasValue(new Need(Optional.of(Scope.POSTBACK), true));
    }

    @Test
    void writeIncludesReadAndPostbackNothingElse() {
        Caller writer = Caller.key(1, java.util.Set.of(Scope.WRITE));
        Caller partner = Caller.key(2, java.util.Set.of(Scope.POSTBACK));
        assertThat(writer.may(Scope.READ)).isTrue();
        assertThat(writer.may(Scope.POSTBACK)).isFalse();
        assertThat(partner.may(Scope.READ)).isFalse();
        assertThat(partner.may(Scope.WRITE)).isFalse();
        assertThat(partner.may(Scope.POSTBACK)).isTrue();
        assertThat(Caller.admin("admin").may(Scope.POSTBACK)).isTrue();
    }
}
