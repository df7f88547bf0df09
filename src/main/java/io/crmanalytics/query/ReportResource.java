package io.crmanalytics.query;

import io.crmanalytics.workspace.RequiresScope;
import io.crmanalytics.workspace.Scope;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import io.crmanalytics.common.ProblemException;
import io.crmanalytics.metrics.Granularity;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
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
    private final ChannelRoiQuery channels;
    private final TimeseriesQuery timeseries;
    private final ManagerLoadQuery managerLoad;

    public ReportResource(Reports reports, KpiQuery kpis, ServiceQuery service, ChannelRoiQuery channels,
                          TimeseriesQuery timeseries, ManagerLoadQuery managerLoad) {
        this.reports = reports;
        this.kpis = kpis;
        this.service = service;
        this.channels = channels;
        this.timeseries = timeseries;
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
    @Path("/channels")
    @Operation(summary = "Channel ROI: leads, spend, cost per lead, won deals, revenue, CAC and ROI per channel "
            + "(or per channel and campaign)")
    @APIResponse(responseCode = "200", description = "One row per channel",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = ChannelRoiQuery.ChannelsView.class)))
    public Response channels(@BeanParam QueryParams params,
                             @QueryParam("groupBy") @Parameter(description = "'channel' (default) or 'campaign'",
                                     schema = @Schema(type = SchemaType.STRING, enumeration = {"channel", "campaign"}))
                             String groupBy) {
        boolean byCampaign = groupBy != null && !groupBy.isBlank() && !groupBy.equals("channel");
        if (byCampaign && !groupBy.equals("campaign")) {
            throw ProblemException.badParameter("groupBy", "must be 'channel' or 'campaign'");
        }
        return reports.report(params, Reports.rowsOf("channels"), q -> channels.run(q, byCampaign));
    }

    @GET
    @Path("/timeseries")
    @Operation(summary = "One kpis figure per local day, ISO week or month of the window")
    @APIResponse(responseCode = "200", description = "Points labelled with the local date their bucket starts on",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = TimeseriesQuery.Timeseries.class)))
    public Response timeseries(@BeanParam QueryParams params,
                               @QueryParam("metric") @Parameter(required = true,
                                       description = "A kpis figure, or a part of one such as cycleTimeDays.median",
                                       example = "leads") String metric,
                               @QueryParam("granularity") @Parameter(description = "Default day",
                                       schema = @Schema(type = SchemaType.STRING, enumeration = {"day", "week", "month"}))
                               String granularity) {
        var grain = Granularity.parse(granularity);
        return reports.report(params, Reports.rowsOf("points"), q -> timeseries.run(q, metric, grain));
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
