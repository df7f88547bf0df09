package io.crmanalytics.workspace;

import java.util.Locale;

/** What a key may do. Scopes do not imply one another: each key has exactly one. */
public enum Scope {
    INGEST, READ, ADMIN;

    public String dbName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
