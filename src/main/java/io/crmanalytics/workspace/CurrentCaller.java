package io.crmanalytics.workspace;

import io.crmanalytics.common.ProblemException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.core.Response;
import java.util.UUID;

/** The authenticated caller of the current request, set by {@link ApiKeyFilter}. */
@RequestScoped
public class CurrentCaller {

    private Caller caller;

    void set(Caller caller) {
        this.caller = caller;
    }

    public Caller get() {
        return caller;
    }

    /** The workspace every query and write of this request is confined to. */
    public UUID workspaceId() {
        if (caller == null || caller.workspaceId() == null) {
            throw new ProblemException(Response.Status.FORBIDDEN,
                    "The bootstrap admin key manages workspaces only; use a workspace's own key");
        }
        return caller.workspaceId();
    }
}
