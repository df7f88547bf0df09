package io.crmanalytics.query;

import io.crmanalytics.workspace.RequiresScope;
import io.crmanalytics.workspace.Scope;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
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
    private final FunnelQuery funnels;
    private final LostReasonQuery lostReasons;

    public ReportResource(Reports reports, KpiQuery kpis, ServiceQuery service, FunnelQuery funnels,
                          LostReasonQuery lostReasons) {
        this.reports = reports;
        this.kpis = kpis;
        this.service = service;
        this.funnels = funnels;
        this.lostReasons = lostReasons;
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
    @Path("/funnel")
    @Operation(summary = "Stage funnel per pipeline of the deals created in [from, to), as seen at 'to'")
    @APIResponse(responseCode = "200", description = "Per pipeline: the cohort's outcomes and, per stage, reached, "
            + "conversions, lost deals with their reasons, median days in stage and stuck deals",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = FunnelQuery.FunnelView.class)))
    public Response funnel(@BeanParam QueryParams params,
                           @QueryParam("stallDays") @Parameter(description = "An open deal is stuck when its current "
                                   + "stay in its stage at 'to' is longer than this many days. Default 14.",
                                   schema = @Schema(type = SchemaType.INTEGER, minimum = "0", defaultValue = "14"))
                           String stallDays) {
        int days = FunnelQuery.stallDays(stallDays);
        return reports.report(params, FunnelQuery.CSV_ROWS, q -> funnels.run(q, days));
    }

    @GET
    @Path("/lost-reasons")
    @Operation(summary = "Deals lost in [from, to) by lostReason")
    @APIResponse(responseCode = "200", description = "The total (= dealsLost) and the count and share per reason",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = LostReasonQuery.LostReasonView.class)))
    public Response lostReasons(@BeanParam QueryParams params) {
        return reports.report(params, Reports.rowsOf("reasons"), lostReasons::run);
    }
}
