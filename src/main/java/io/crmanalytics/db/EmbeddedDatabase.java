package io.crmanalytics.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;

/** Real PostgreSQL binaries shipped in a Maven artifact, started in-process: the default database. */
public final class EmbeddedDatabase {

    private EmbeddedDatabase() {
    }

    /**
     * Starts PostgreSQL on a free port. With a data directory the data survives restarts; without
     * one a fresh temporary cluster is made (tests).
     */
    public static EmbeddedPostgres start(Path dataDirectory) throws IOException {
        var builder = EmbeddedPostgres.builder()
                .setServerConfig("fsync", "on")
                .setServerConfig("max_connections", "100");
        if (dataDirectory != null) {
            dataDirectory.toFile().mkdirs();
            builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
        }
        return builder.start();
    }

    public static String jdbcUrl(EmbeddedPostgres pg) {
        return pg.getJdbcUrl("postgres", "postgres");
    }
}
