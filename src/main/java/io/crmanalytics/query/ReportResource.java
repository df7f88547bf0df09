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
@Tag(name = "Reports", description = "Metrics over a time window, as JSON or CSV (read scope)")
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
    private final FunnelQuery funnels;
    private final LostReasonQuery lostReasons;

    public ReportResource(Reports reports, KpiQuery kpis, ServiceQuery service, ChannelRoiQuery channels,
                          TimeseriesQuery timeseries, ManagerLoadQuery managerLoad, FunnelQuery funnels,
                          LostReasonQuery lostReasons) {
        this.reports = reports;
        this.kpis = kpis;
        this.service = service;
        this.channels = channels;
        this.timeseries = timeseries;
        this.managerLoad = managerLoad;
        this.funnels = funnels;
        this.lostReasons = lostReasons;
    }

    @GET
    @Path("/kpis")
    @Operation(operationId = "getKpis", summary = "Every single-number sales, marketing and service figure over [from, to)")
    @APIResponse(responseCode = "200", description = "The figures, with the window (from, to, tz)",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = Kpis.class)))
    public Response kpis(@BeanParam QueryParams params) {
        return reports.report(params, Reports.WHOLE, q -> {
            var serviceFigures = reports.inParallel(() -> service.run(q).overall());
            return Kpis.of(kpis.totals(q), serviceFigures.get());
        });
    }

    @GET
    @Path("/service")
    @Operation(operationId = "getService", summary = "Support tickets, complaints, backlog, resolution time and CSAT, overall and per category")
    @APIResponse(responseCode = "200", description = "Overall and per-category figures",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = ServiceQuery.ServiceView.class)))
    public Response service(@BeanParam QueryParams params) {
        return reports.report(params, Reports.rowsOf("categories"), service::run);
    }

    @GET
    @Path("/channels")
    @Operation(operationId = "getChannels", summary = "Channel ROI: leads, spend, cost per lead, won deals, revenue, CAC and ROI per channel "
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
    @Operation(operationId = "getTimeseries", summary = "One kpis figure per local day, ISO week or month of the window")
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
    @Operation(operationId = "getManagers", summary = "Per manager: open deals and tasks as of 'to', activity, wins and first response over "
            + "[from, to), and the load index against the team mean")
    @APIResponse(responseCode = "200", description = "One row per manager of the team, ordered by managerId",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = ManagerLoadQuery.ManagerLoadView.class)))
    public Response managers(@BeanParam QueryParams params) {
        return reports.report(params, Reports.rowsOf("managers"), managerLoad::run);
    }

    @GET
    @Path("/funnel")
    @Operation(operationId = "getFunnel", summary = "Stage funnel per pipeline of the deals created in [from, to), as seen at 'to'")
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
    @Operation(operationId = "getLostReasons", summary = "Deals lost in [from, to) by lostReason")
    @APIResponse(responseCode = "200", description = "The total (= dealsLost) and the count and share per reason",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = LostReasonQuery.LostReasonView.class)))
    public Response lostReasons(@BeanParam QueryParams params) {
        return reports.report(params, Reports.rowsOf("reasons"), lostReasons::run);
    }
}
