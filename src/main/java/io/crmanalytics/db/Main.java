package io.crmanalytics.db;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * Chooses the database before Quarkus starts: the server named by CRM_DB_URL, checked to answer,
 * or else an embedded PostgreSQL keeping its data in CRM_DATA_DIR (default ./data/postgres).
 */
@QuarkusMain
public class Main {

    public static void main(String... args) throws Exception {
        String url = System.getenv("CRM_DB_URL");
        if (url != null && !url.isBlank()) {
            url = url.startsWith("jdbc:") ? url : "jdbc:" + url;
            checkReachable(url, env("CRM_DB_USER", "postgres"), env("CRM_DB_PASSWORD", "postgres"));
        } else if (System.getProperty("quarkus.datasource.jdbc.url") == null) {
            Path dir = Path.of(env("CRM_DATA_DIR", "data/postgres")).toAbsolutePath();
            var pg = startEmbedded(dir);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    pg.close();
                } catch (Exception ignored) {
                    // the process is exiting; PostgreSQL's own shutdown logs any problem
                }
            }));
            url = EmbeddedDatabase.jdbcUrl(pg);
            System.setProperty("quarkus.datasource.username", "postgres");
            System.setProperty("quarkus.datasource.password", "postgres");
            System.out.println("crm-analytics: embedded PostgreSQL on port " + pg.getPort() + ", data in " + dir);
        }
        if (url != null) {
            System.setProperty("quarkus.datasource.jdbc.url", url);
        }
        Quarkus.run(args);
    }

    private static void checkReachable(String url, String user, String password) {
        DriverManager.setLoginTimeout(5);
        try (var ignored = DriverManager.getConnection(url, user, password)) {
            // reachable
        } catch (SQLException e) {
            // the query string may hold a password: leave it out
            fail("cannot connect to PostgreSQL at " + url.replaceFirst("\\?.*", "") + " as " + user + " ("
                    + reason(e) + "). Set CRM_DB_URL, CRM_DB_USER and CRM_DB_PASSWORD to a reachable server, "
                    + "or unset CRM_DB_URL to use the embedded database.");
        }
    }

    private static EmbeddedPostgres startEmbedded(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            // file-system exceptions carry only the path as message: their class says what went wrong
            fail("cannot create the data directory " + dir + " (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + "). Set CRM_DATA_DIR to a writable directory, or CRM_DB_URL to a "
                    + "PostgreSQL server.");
        }
        try {
            return EmbeddedDatabase.start(dir);
        } catch (IOException | RuntimeException e) {
            fail("cannot start the embedded PostgreSQL with data in " + dir + " (" + reason(e) + ").");
            return null;
        }
    }

    /** Ends the process before Quarkus starts: an expected failure, so one line and no stack trace. */
    private static void fail(String message) {
        System.err.println("crm-analytics: " + message);
        System.exit(1);
    }

    /** The first line of the message, and the underlying cause when the message does not name it. */
    private static String reason(Exception e) {
        String first = e.getMessage() == null ? e.getClass().getSimpleName()
                : e.getMessage().lines().findFirst().orElse("");
        Throwable cause = e.getCause();
        if (cause == null || cause.getMessage() == null || first.contains(cause.getMessage())) {
            return first;
        }
        return first + " " + cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
