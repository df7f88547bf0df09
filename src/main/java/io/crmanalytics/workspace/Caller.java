package io.crmanalytics.workspace;

import java.util.UUID;

/** Who is calling: the workspace of the key (null for the bootstrap admin key) and its scope. */
public record Caller(UUID workspaceId, Scope scope) {
}
