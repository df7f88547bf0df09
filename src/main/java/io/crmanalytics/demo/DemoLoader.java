package io.crmanalytics.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.crmanalytics.ingest.EventIngestor;
import io.crmanalytics.workspace.ApiKeys;
import io.crmanalytics.workspace.Scope;
import io.crmanalytics.workspace.Workspaces;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * With {@code CRM_DEMO=true}, makes sure the demo workspace exists with its documented keys and, when it
 * has no events yet, loads the {@link DemoGenerator} history into it through the same
 * {@link EventIngestor} as {@code POST /api/v1/events}. Loading runs on its own thread so that the
 * service answers (health checks included) at once; the log says when it is done and how to call it.
 */
@Singleton
public class DemoLoader {

    public static final UUID WORKSPACE_ID = UUID.fromString("de300000-0000-4000-8000-000000000001");
    public static final String INGEST_KEY = "demo-ingest-key";
    public static final String READ_KEY = "demo-read-key";
    public static final String ADMIN_KEY = "demo-admin-key";

    private static final Logger LOG = Logger.getLogger(DemoLoader.class);
    private static final int BATCH = 5000;

    private final DemoConfig config;
    private final AgroalDataSource dataSource;
    private final ApiKeys keys;
    private final EventIngestor ingestor;
    private final ObjectMapper mapper;
    private final int port;
    private volatile boolean stopping;

    public DemoLoader(DemoConfig config, AgroalDataSource dataSource, ApiKeys keys, EventIngestor ingestor,
                      ObjectMapper mapper, @ConfigProperty(name = "quarkus.http.port") int port) {
        this.config = config;
        this.dataSource = dataSource;
        this.keys = keys;
        this.ingestor = ingestor;
        this.mapper = mapper;
        this.port = port;
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        LocalDate end = config.endDate().orElseGet(() -> LocalDate.now(ZoneOffset.UTC));
        if (prepare()) {
            LOG.infof("Demo: loading about %d events into workspace %s in the background (seed %d, scale %s, "
                            + "history up to %s)", DemoGenerator.approximateEvents(config.scale()),
                    WORKSPACE_ID, config.seed(), config.scale(), end);
            var loader = new Thread(() -> load(end), "demo-loader");
            loader.setDaemon(true);
            loader.start();
        } else {
            LOG.infof("Demo: workspace %s already has events; not loading them again", WORKSPACE_ID);
            howToCall(lastDay().orElse(end));
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    /** Creates the workspace and its keys unless they exist; true when it has no events yet. */
    boolean prepare() {
        try (var c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            Workspaces.insert(c, WORKSPACE_ID, "Demo", "RUB");
            keys.store(c, WORKSPACE_ID, Scope.INGEST, INGEST_KEY);
            keys.store(c, WORKSPACE_ID, Scope.READ, READ_KEY);
            keys.store(c, WORKSPACE_ID, Scope.ADMIN, ADMIN_KEY);
            storeMappings(c);
            boolean empty;
            try (var st = c.prepareStatement("select not exists (select 1 from events where workspace_id = ?)")) {
                st.setObject(1, WORKSPACE_ID);
                try (var rs = st.executeQuery()) {
                    rs.next();
                    empty = rs.getBoolean(1);
                }
            }
            c.commit();
            return empty;
        } catch (SQLException e) {
            throw new IllegalStateException("Creating the demo workspace failed", e);
        }
    }

    /** The utm sources and tracking numbers of the generated leads, so the demo's channels add up. */
    private static void storeMappings(java.sql.Connection c) throws SQLException {
        try (var st = c.prepareStatement("""
                insert into channel_mappings (workspace_id, kind, key, channel) values (?, ?, ?, ?)
                on conflict do nothing""")) {
            st.setObject(1, WORKSPACE_ID);
            for (var kind : List.of("utm_source", "tracking_number")) {
                var map = kind.equals("utm_source") ? DemoGenerator.UTM_SOURCES : DemoGenerator.TRACKING_NUMBERS;
                for (var e : map.entrySet()) {
                    st.setString(2, kind);
                    st.setString(3, e.getKey());
                    st.setString(4, e.getValue());
                    st.addBatch();
                }
            }
            st.executeBatch();
        }
    }

    private void load(LocalDate end) {
        long started = System.nanoTime();
        var generator = new DemoGenerator(config.seed(), config.scale(), end);
        long accepted = 0;
        long rejected = 0;
        try {
            List<JsonNode> batch = new ArrayList<>(BATCH);
            while (generator.hasNext() && !stopping) {
                batch.add(generator.next());
                if (batch.size() == BATCH || !generator.hasNext()) {
                    var result = ingestor.ingest(WORKSPACE_ID, batch);
                    accepted += result.accepted();
                    rejected += result.rejected().size();
                    batch = new ArrayList<>(BATCH);
                }
            }
        } catch (RuntimeException e) {
            if (!stopping) {
                LOG.error("Demo: loading the demo events failed", e);
            }
            return;
        }
        if (stopping) {
            return;
        }
        LOG.infof("Demo: loaded %d events in %.1f s", accepted, (System.nanoTime() - started) / 1e9);
        if (rejected > 0) {
            LOG.warnf("Demo: %d generated events were rejected; the generator and the validator disagree", rejected);
        }
        howToCall(end);
    }

    /** The day after the newest spend (one per day), i.e. the end of an already loaded history. */
    private Optional<LocalDate> lastDay() {
        try (var c = dataSource.getConnection(); var st = c.prepareStatement("""
                select max(occurred_at) from events where workspace_id = ? and type = 'marketing.spend'""")) {
            st.setObject(1, WORKSPACE_ID);
            try (var rs = st.executeQuery()) {
                rs.next();
                var last = rs.getObject(1, OffsetDateTime.class);
                return Optional.ofNullable(last).map(t -> t.toLocalDate().plusDays(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the demo workspace failed", e);
        }
    }

    private void howToCall(LocalDate end) {
        String url = "http://localhost:" + port;
        String sample;
        try {
            sample = mapper.writeValueAsString(mapper.createObjectNode().put("eventId", "try-1")
                    .put("type", "lead.created").put("occurredAt", end + "T09:00:00Z").put("leadId", "try-lead-1")
                    .put("channel", "SEO"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        LOG.infof("Demo: workspace %s at %s", WORKSPACE_ID, url);
        LOG.infof("Demo: keys ingest=%s read=%s admin=%s", INGEST_KEY, READ_KEY, ADMIN_KEY);
        LOG.infof("Demo: query  curl -H 'Authorization: Bearer %s' '%s/api/v1/kpis?from=%s&to=%s'",
                READ_KEY, url, end.minusDays(30), end);
        LOG.infof("Demo: ingest curl -H 'Authorization: Bearer %s' -H 'Content-Type: application/json' -d '%s' "
                + "%s/api/v1/events", INGEST_KEY, sample, url);
        LOG.infof("Demo: channel mappings  curl -H 'Authorization: Bearer %s' %s/api/v1/channel-mappings", ADMIN_KEY,
                url);
    }
}
