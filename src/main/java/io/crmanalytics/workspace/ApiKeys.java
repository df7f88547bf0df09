package io.crmanalytics.workspace;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Issues keys (shown once, stored as SHA-256) and resolves a presented key to its caller. */
@ApplicationScoped
public class ApiKeys {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final AgroalDataSource dataSource;
    private final Optional<String> bootstrapAdminKey;
    // Keys are never revoked, so a resolved key stays valid: cache it off the request path.
    private final Map<String, Caller> resolved = new ConcurrentHashMap<>();

    public ApiKeys(AgroalDataSource dataSource, @ConfigProperty(name = "crm.admin-key") Optional<String> adminKey) {
        this.dataSource = dataSource;
        this.bootstrapAdminKey = adminKey.filter(k -> !k.isBlank());
    }

    public Optional<Caller> resolve(String key) {
        if (bootstrapAdminKey.isPresent() && MessageDigest.isEqual(
                bootstrapAdminKey.get().getBytes(StandardCharsets.UTF_8), key.getBytes(StandardCharsets.UTF_8))) {
            return Optional.of(new Caller(null, Scope.ADMIN));
        }
        String hash = hash(key);
        Caller cached = resolved.get(hash);
        if (cached != null) {
            return Optional.of(cached);
        }
        try (var c = dataSource.getConnection();
             var st = c.prepareStatement("select workspace_id, scope from api_keys where key_hash = ?")) {
            st.setString(1, hash);
            try (var rs = st.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                var caller = new Caller(rs.getObject(1, UUID.class), Scope.valueOf(rs.getString(2).toUpperCase()));
                resolved.put(hash, caller);
                return Optional.of(caller);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("API key lookup failed", e);
        }
    }

    /** Stores a new key for the workspace and returns its only plain-text copy. */
    public String issue(Connection c, UUID workspaceId, Scope scope) throws SQLException {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String key = "crm_" + scope.dbName() + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        store(c, workspaceId, scope, key);
        return key;
    }

    /** Stores a caller-chosen key (the demo workspace's documented keys). */
    public void store(Connection c, UUID workspaceId, Scope scope, String key) throws SQLException {
        try (var st = c.prepareStatement(
                "insert into api_keys (key_hash, workspace_id, scope) values (?, ?, ?) on conflict do nothing")) {
            st.setString(1, hash(key));
            st.setObject(2, workspaceId);
            st.setString(3, scope.dbName());
            st.executeUpdate();
        }
    }

    static String hash(String key) {
        try {
            var digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
