package io.crmanalytics.metrics;

import io.agroal.api.AgroalDataSource;
import io.crmanalytics.workspace.CurrentCaller;
import io.crmanalytics.workspace.RequiresScope;
import io.crmanalytics.workspace.Scope;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Attribution data: UTM sources and call-tracking numbers to channels. A PUT replaces the whole set;
 * reports apply the current mappings to all leads and visits, old ones included.
 */
@Path("/api/v1/channel-mappings")
@Tag(name = "Admin", description = "Workspace settings and maintenance (admin scope)")
@SecurityRequirement(name = "bearer")
@RequiresScope(Scope.ADMIN)
public class ChannelMappingResource {

    @Schema(name = "ChannelMappings", description = "UTM sources match case-insensitively; tracking numbers exactly")
    public record ChannelMappings(
            @Schema(example = "{\"yandex\": \"Yandex Direct\"}")
            Map<@NotBlank @Size(max = 500) String, @NotBlank @Size(max = 500) String> utmSources,
            @Schema(example = "{\"+74951234567\": \"Radio\"}")
            Map<@NotBlank @Size(max = 128) String, @NotBlank @Size(max = 500) String> trackingNumbers) {
    }

    private final AgroalDataSource dataSource;
    private final CurrentCaller caller;

    public ChannelMappingResource(AgroalDataSource dataSource, CurrentCaller caller) {
        this.dataSource = dataSource;
        this.caller = caller;
    }

    @PUT
    @Operation(operationId = "putChannelMappings", summary = "Replace the workspace's channel mappings")
    public ChannelMappings put(@Valid @NotNull ChannelMappings mappings) throws SQLException {
        var ws = caller.workspaceId();
        try (var c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (var delete = c.prepareStatement("delete from channel_mappings where workspace_id = ?");
                 var insert = c.prepareStatement("""
                         insert into channel_mappings (workspace_id, kind, key, channel) values (?, ?, ?, ?)
                         on conflict (workspace_id, kind, key) do update set channel = excluded.channel""")) {
                delete.setObject(1, ws);
                delete.executeUpdate();
                insert.setObject(1, ws);
                if (mappings.utmSources() != null) {
                    for (var e : mappings.utmSources().entrySet()) {
                        add(insert, "utm_source", e.getKey().toLowerCase(Locale.ROOT), e.getValue());
                    }
                }
                if (mappings.trackingNumbers() != null) {
                    for (var e : mappings.trackingNumbers().entrySet()) {
                        add(insert, "tracking_number", e.getKey(), e.getValue());
                    }
                }
                insert.executeBatch();
            }
            c.commit();
        }
        return get();
    }

    @GET
    @Operation(operationId = "getChannelMappings", summary = "The workspace's channel mappings")
    public ChannelMappings get() throws SQLException {
        var utm = new TreeMap<String, String>();
        var tracking = new TreeMap<String, String>();
        try (var c = dataSource.getConnection();
             var st = c.prepareStatement("select kind, key, channel from channel_mappings where workspace_id = ?")) {
            st.setObject(1, caller.workspaceId());
            try (var rs = st.executeQuery()) {
                while (rs.next()) {
                    (rs.getString(1).equals("utm_source") ? utm : tracking).put(rs.getString(2), rs.getString(3));
                }
            }
        }
        return new ChannelMappings(utm, tracking);
    }

    private static void add(java.sql.PreparedStatement insert, String kind, String key, String channel)
            throws SQLException {
        insert.setString(2, kind);
        insert.setString(3, key);
        insert.setString(4, channel);
        insert.addBatch();
    }
}
