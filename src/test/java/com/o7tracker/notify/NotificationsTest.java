package com.o7tracker.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.o7tracker.support.Await;
import com.o7tracker.support.TestPostgres;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.Test;

/** One subscriber that throws keeps neither the others nor the listening connection from going on. */
class NotificationsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** Hears what it is handed and counts the (re)connects and losses it is told of. */
    static class Recording implements Subscriber {
        final List<String> heard = new CopyOnWriteArrayList<>();
        final AtomicInteger connected = new AtomicInteger();
        final AtomicInteger lost = new AtomicInteger();
        volatile int backendPid;
        private final Notifications notifications;

        Recording(Notifications notifications) {
            this.notifications = notifications;
        }

        @Override
        public void heard(String payload) {
            heard.add(payload);
        }

        @Override
        public void connected(Listening listening) {
            backendPid = notifications.listeningJdbi().withHandle(h -> h.createQuery("SELECT pg_backend_pid()").mapTo(Integer.class).one());
            connected.incrementAndGet();
        }

        @Override
        public void lost() {
            lost.incrementAndGet();
        }
    }

    /** Throws a RuntimeException from every notification, every loss, and its first catch-up. */
    static class Throwing extends Recording {
        Throwing(Notifications notifications) {
            super(notifications);
        }

        @Override
        public void heard(String payload) {
            super.heard(payload);
            throw new IllegalStateException("a subscriber's bug, on " + payload);
        }

        @Override
        public void connected(Listening listening) {
            super.connected(listening);
            if (connected.get() == 1) {
                throw new IllegalStateException("a subscriber's bug, catching up");
            }
        }

        @Override
        public void lost() {
            super.lost();
            throw new IllegalStateException("a subscriber's bug, told of the loss");
        }
    }

    @Test
    void aSubscriberThatThrowsKeepsNeitherTheOthersNorTheConnectionFromGoingOn() throws Exception {
        TestPostgres postgres = TestPostgres.shared();
        Jdbi jdbi = Jdbi.create(postgres.migratedDataSource()).installPlugin(new SqlObjectPlugin());
        Notifications notifications = new Notifications(
                postgres.endpoint(), jdbi);
        Throwing throwing = new Throwing(notifications);
        Recording sameChannel = new Recording(notifications);
        Recording otherChannel = new Recording(notifications);
        // Subscribers are told in the order of the channels, then of subscribing: on each (re)connect
        // otherChannel, the thrower, sameChannel; each notification of their channel the thrower first.
        notifications.subscribe(Channel.CLICKS_APPLIED, throwing);
        notifications.subscribe(Channel.CLICKS_APPLIED, sameChannel);
        notifications.subscribe(Channel.CAMPAIGN_EVENTS, otherChannel);
        notifications.start();
        try {
            // Its first catch-up threw, before sameChannel's: that connection ended, everyone was told
            // (its own lost() threw too), and the next connection caught everyone up.
            Await.until("everyone caught up on the second connection", WAIT,
                    () -> sameChannel.connected.get() == 1);
            assertThat(throwing.connected.get()).isEqualTo(2);
            assertThat(otherChannel.connected.get()).isEqualTo(2);
            assertThat(throwing.lost.get()).isEqualTo(1);
            assertThat(sameChannel.lost.get()).as("told of the loss although the thrower before it failed").isEqualTo(1);
            assertThat(otherChannel.lost.get()).isEqualTo(1);

            // Its handler throws on every notification; the others hear each one, in order.
            notifications.send(Channel.CLICKS_APPLIED, List.of("one", "two"));
            notifications.send(Channel.CAMPAIGN_EVENTS, List.of("a"));
            notifications.send(Channel.CLICKS_APPLIED, List.of("three"));
            Await.until("the later notifications heard", WAIT,
                    () -> sameChannel.heard.size() == 3 && otherChannel.heard.size() == 1);
            assertThat(sameChannel.heard).containsExactly("one", "two", "three");
            assertThat(otherChannel.heard).containsExactly("a");
            assertThat(throwing.heard).containsExactly("one", "two", "three");

            // The listening connection cut from the server's side: it comes back, every subscriber
            // catches up again (the thrower's lost() throwing once more), and hears what follows.
            int pid = sameChannel.backendPid;
            boolean terminated = jdbi.withHandle(h -> h.createQuery("SELECT pg_terminate_backend(:pid)").bind("pid", pid)
                    .mapTo(Boolean.class).one());
            assertThat(terminated).isTrue();
            Await.until("everyone caught up on a new connection", WAIT, () -> sameChannel.connected.get() == 2
                    && otherChannel.connected.get() == 3 && throwing.connected.get() == 3);
            assertThat(sameChannel.backendPid).isNotEqualTo(pid);
            assertThat(List.of(throwing.lost.get(), sameChannel.lost.get(), otherChannel.lost.get())).containsOnly(2);
            notifications.send(Channel.CLICKS_APPLIED, List.of("four"));
            notifications.send(Channel.CAMPAIGN_EVENTS, List.of("b"));
            Await.until("the notifications after the reconnect heard", WAIT,
                    () -> sameChannel.heard.size() == 4 && otherChannel.heard.size() == 2);
            assertThat(sameChannel.heard).containsExactly("one", "two", "three", "four");
            assertThat(otherChannel.heard).containsExactly("a", "b");
        } finally {
            notifications.stop();
        }
    }
}
