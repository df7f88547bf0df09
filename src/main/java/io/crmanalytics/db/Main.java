package io.crmanalytics.db;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
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
            var pg = EmbeddedDatabase.start(dir);
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
            System.err.println("crm-analytics: cannot connect to PostgreSQL at " + url + " as " + user + " ("
                    + e.getMessage().lines().findFirst().orElse("") + "). Set CRM_DB_URL, CRM_DB_USER and "
                    + "CRM_DB_PASSWORD to a reachable server, or unset CRM_DB_URL to use the embedded database.");
            System.exit(1);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
