package io.crmanalytics.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

/** The webhook_configs table: one row per workspace and CRM. */
@ApplicationScoped
class WebhookConfigs {

    private final AgroalDataSource dataSource;
    private final ObjectMapper mapper;

    WebhookConfigs(AgroalDataSource dataSource, ObjectMapper mapper) {
        this.dataSource = dataSource;
        this.mapper = mapper;
    }

    Optional<WebhookConfig> find(UUID workspace, Crm crm) {
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
    }
}
