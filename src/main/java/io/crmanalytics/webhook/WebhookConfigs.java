package io.crmanalytics.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The webhook_configs table: one row per workspace and CRM. Every webhook request reads its config, so
 * found configs are cached for a few seconds: a change applies at once on this instance and within the
 * TTL on others. Misses are not cached, so requests naming random workspaces cannot fill the cache.
 */
@ApplicationScoped
class WebhookConfigs {

    private static final long TTL_NANOS = Duration.ofSeconds(5).toNanos();

    private record Key(UUID workspace, Crm crm) {
    }

    private record Cached(WebhookConfig config, long loadedAt) {
    }

    private final AgroalDataSource dataSource;
    private final ObjectMapper mapper;
    private final Map<Key, Cached> cache = new ConcurrentHashMap<>();

    WebhookConfigs(AgroalDataSource dataSource, ObjectMapper mapper) {
        this.dataSource = dataSource;
        this.mapper = mapper;
    }

    Optional<WebhookConfig> find(UUID workspace, Crm crm) {
        var key = new Key(workspace, crm);
        var cached = cache.get(key);
        if (cached != null && System.nanoTime() - cached.loadedAt() < TTL_NANOS) {
            return Optional.of(cached.config());
        }
        var loaded = load(workspace, crm);
        loaded.ifPresentOrElse(c -> cache.put(key, new Cached(c, System.nanoTime())), () -> cache.remove(key));
        return loaded;
    }

    private Optional<WebhookConfig> load(UUID workspace, Crm crm) {
        try (var c = dataSource.getConnection(); var st = c.prepareStatement(
                "select secret, settings::text from webhook_configs where workspace_id = ? and crm = ?")) {
            st.setObject(1, workspace);
            st.setString(2, crm.pathName);
            try (var rs = st.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                var settings = mapper.readValue(rs.getString(2), WebhookConfig.Settings.class);
                return Optional.of(WebhookConfig.of(crm, rs.getString(1), settings));
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("Reading the webhook config failed", e);
        }
    }

    void put(UUID workspace, Crm crm, String secret, WebhookConfig.Settings settings) {
        try (var c = dataSource.getConnection(); var st = c.prepareStatement("""
                insert into webhook_configs (workspace_id, crm, secret, settings) values (?, ?, ?, ?::jsonb)
                on conflict (workspace_id, crm) do update
                  set secret = excluded.secret, settings = excluded.settings, updated_at = now()""")) {
            st.setObject(1, workspace);
            st.setString(2, crm.pathName);
            st.setString(3, secret);
            st.setString(4, mapper.writeValueAsString(settings));
            st.executeUpdate();
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("Storing the webhook config failed", e);
        }
        cache.remove(new Key(workspace, crm));
    }
}
