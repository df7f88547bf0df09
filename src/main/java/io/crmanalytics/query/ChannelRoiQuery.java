package io.crmanalytics.query;

import static io.crmanalytics.metrics.Facts.channelIn;
import static io.crmanalytics.metrics.Facts.managerIn;
import static io.crmanalytics.metrics.Facts.pipelineIn;

import io.agroal.api.AgroalDataSource;
import io.crmanalytics.common.Sql;
import io.crmanalytics.metrics.Facts;
import io.crmanalytics.metrics.MetricQuery;
import io.crmanalytics.metrics.Rollups;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Channel ROI over [from, to): per attributed channel (or channel and campaign) the leads, spend,
 * won deals, revenue and new customers, and the ratios derived from them. A channel appears when
 * any of these is non-zero in the window.
 */
@ApplicationScoped
public class ChannelRoiQuery {

    @Schema(name = "ChannelRow")
    public record ChannelRow(
            String channel,
            @Schema(description = "Only with groupBy=campaign; null for leads, deals, payments and spend without one")
            String campaign,
            long leads, BigDecimal spend,
            @Schema(description = "spend / leads") Double costPerLead,
            @Schema(description = "Deals won in the window, by their lead's channel") long dealsWon,
            @Schema(description = "Payments in the window, attributed to channels as in the contract") BigDecimal revenue,
            long payments,
            @Schema(description = "Customers whose first payment is in the window, by that payment's channel")
            long newCustomers,
            @Schema(description = "spend / newCustomers") Double cac,
            @Schema(description = "(revenue − spend) / spend") Double roi) {
    }

    @Schema(name = "ChannelsView")
    public record ChannelsView(List<ChannelRow> channels) {
    }

    private static final Sql SQL = new Sql("with " + Facts.LEADS + ",\n" + Facts.OUTCOME_DEALS
            + ",\n" + Rollups.WINDOW + ",\n" + Facts.PAYMENT_ROWS + ",\n" + Facts.outcomeRows(Facts.CHANNEL_OUTCOME_ROLLUP) + """
            ,
            -- each source summed per channel and campaign first, so the final grouping is over a few rows;
            -- leads of whole clean UTC days from the daily rollup, the rest from the facts. n counts the
            -- facts behind a row: a row whose deals' rollup shares were all taken back has none.
            facts as (
              select channel, campaign, count(*) as leads, 0 as spend, 0 as won, 0 as revenue, 0 as payments,
                     0 as new_customers, count(*) as n
              from fact_ranges f join leads l on l.created_at >= f.lo and l.created_at < f.hi
              where %1$s and %2$s
              group by 1, 2
              union all
              select coalesce(r.channel, mu.channel, mt.channel, 'unknown'), r.campaign, sum(r.leads), 0, 0, 0, 0, 0,
                     sum(r.leads)
              from %6$s r
              %9$s
              where %7$s and %8$s
              group by 1, 2
              union all
              select e.channel, e.campaign, 0, sum(e.amount), 0, 0, 0, 0, count(*)
              from events e
              where e.workspace_id = :ws and e.type = 'marketing.spend' and e.occurred_at >= :from
                and e.occurred_at < :to and %3$s
              group by 1, 2
              union all
              select channel, campaign, 0, 0, sum(deals), 0, 0, 0, sum(deals)
              from outcome_rows where outcome = 'deal.won' and %1$s and %4$s and %5$s
              group by 1, 2
              union all
              select channel, campaign, 0, 0, 0, sum(amount), sum(payments), sum(new_customers), sum(payments)
              from payment_rows where %1$s
              group by 1, 2)
            select channel, case when cast(:byCampaign as boolean) then campaign end as campaign,
                   sum(leads) as leads, sum(spend) as spend, sum(won) as won, sum(revenue) as revenue,
                   sum(payments) as payments, sum(new_customers) as new_customers
            from facts
            group by 1, 2
            having sum(n) > 0
            order by 1, 2 nulls first""".formatted(channelIn("channel"), managerIn("manager_id"),
            channelIn("e.channel"), managerIn("outcome_owner"), pipelineIn("pipeline"), Facts.leadRollup(Rollups::clean),
            channelIn("coalesce(r.channel, mu.channel, mt.channel, 'unknown')"), managerIn("r.manager_id"),
            Facts.keyMappings("r")));

    private final AgroalDataSource dataSource;

    public ChannelRoiQuery(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public ChannelsView run(MetricQuery query, boolean byCampaign) {
        var params = query.params();
        params.put("byCampaign", byCampaign);
        var rows = new ArrayList<ChannelRow>();
        try (var c = dataSource.getConnection(); var st = SQL.prepare(c, params); var rs = st.executeQuery()) {
            while (rs.next()) {
                BigDecimal spend = rs.getBigDecimal("spend");
                BigDecimal revenue = rs.getBigDecimal("revenue");
                long leads = rs.getLong("leads");
                long customers = rs.getLong("new_customers");
                rows.add(new ChannelRow(rs.getString("channel"), rs.getString("campaign"), leads, spend,
                        Kpis.ratio(spend, leads), rs.getLong("won"), revenue, rs.getLong("payments"), customers,
                        Kpis.ratio(spend, customers), Kpis.ratio(revenue.subtract(spend), spend)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Channel query failed", e);
        }
        return new ChannelsView(rows);
    }
}
