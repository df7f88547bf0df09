package io.crmanalytics.db;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.util.Map;

/**
 * The tests' PostgreSQL: the server named by CRM_TEST_DB_URL, else a fresh embedded one.
 * Tests keep apart by creating their own workspaces, so no cleanup between them is needed.
 */
public class TestDatabase implements QuarkusTestResourceLifecycleManager {

    private EmbeddedPostgres embedded;

    @Override
    public Map<String, String> start() {
        String url = System.getenv("CRM_TEST_DB_URL");
        if (url != null && !url.isBlank()) {
            return Map.of("quarkus.datasource.jdbc.url", url.startsWith("jdbc:") ? url : "jdbc:" + url);
        }
        try {
            embedded = EmbeddedDatabase.start(null);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Cannot start embedded PostgreSQL", e);
        }
        return Map.of("quarkus.datasource.jdbc.url", EmbeddedDatabase.jdbcUrl(embedded),
                "quarkus.datasource.username", "postgres", "quarkus.datasource.password", "postgres");
    }

    @Override
    public void stop() {
        if (embedded != null) {
            try {
                embedded.close();
            } catch (java.io.IOException ignored) {
                // the JVM is ending the test run
            }
        }
    }
}
