package io.crmanalytics.query;

import io.crmanalytics.workspace.RequiresScope;
import io.crmanalytics.workspace.Scope;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1")
@Tag(name = "Reports")
@SecurityRequirement(name = "bearer")
@RequiresScope(Scope.READ)
@Produces({"application/json", "text/csv"})
public class ReportResource {

    private final Reports reports;
    private final KpiQuery kpis;
    private final ServiceQuery service;
    private final ManagerLoadQuery managerLoad;

    public ReportResource(Reports reports, KpiQuery kpis, ServiceQuery service, ManagerLoadQuery managerLoad) {
        this.reports = reports;
        this.kpis = kpis;
        this.service = service;
        this.managerLoad = managerLoad;
    }

    @GET
    @Path("/kpis")
    @Operation(summary = "Every single-number sales, marketing and service figure over [from, to)")
    @APIResponse(responseCode = "200", description = "The figures, with the window (from, to, tz)",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = Kpis.class)))
    public Response kpis(@BeanParam QueryParams params) {
        return reports.report(params, Reports.WHOLE, q -> Kpis.of(kpis.totals(q), service.run(q).overall()));
    }

    @GET
    @Path("/service")
    @Operation(summary = "Support tickets, complaints, backlog, resolution time and CSAT, overall and per category")
    @APIResponse(responseCode = "200", description = "Overall and per-category figures",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = ServiceQuery.ServiceView.class)))
    public Response service(@BeanParam QueryParams params) {
        return reports.report(params, Reports.rowsOf("categories"), service::run);
    }

    @GET
    @Path("/managers")
    @Operation(summary = "Per manager: open deals and tasks as of 'to', activity, wins and first response over "
            + "[from, to), and the load index against the team mean")
    @APIResponse(responseCode = "200", description = "One row per manager of the team, ordered by managerId",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = ManagerLoadQuery.ManagerLoadView.class)))
    public Response managers(@BeanParam QueryParams params) {
        return reports.report(params, Reports.rowsOf("managers"), managerLoad::run);
    }
}
