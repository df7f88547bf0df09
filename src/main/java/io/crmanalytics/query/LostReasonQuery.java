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
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Why deals were lost over [from, to): the deals of dealsLost (outcome at to is lost, by a deal.lost
 * in the window, whatever window they were created in) grouped by the lostReason of that event. Unlike
 * the funnel's lostHere, this is not a creation cohort, so its total always equals kpis.dealsLost.
 */
@ApplicationScoped
public class LostReasonQuery {

    @Schema(name = "LostReasons")
    public record LostReasonView(
            @Schema(description = "Deals lost in the window (= dealsLost of /kpis with the same filters)") long total,
            @Schema(description = "By reason, most frequent first, then by reason in code point order; the deals "
                    + "whose deal.lost gave no lostReason are one row with reason null, after named reasons of "
                    + "the same count") List<LostReason> reasons) {
    }

    @Schema(name = "LostReason")
    public record LostReason(@Schema(description = "The lostReason as sent; null when none was given") String reason,
                             long count,
                             @Schema(description = "count / total") Double share) {
    }

    // a reason whose rollup share is all taken back (its deals not lost as of 'to') has no row
    private static final Sql SQL = new Sql("with " + Facts.OUTCOME_DEALS + ",\n" + Rollups.WINDOW + ",\n" + Facts.outcomeRows(Facts.LOST_REASON_ROLLUP)
            + """

            select d.lost_reason as reason, sum(d.deals) as n, sum(d.deals)::float8 / sum(sum(d.deals)) over () as share
            from outcome_rows d
            where d.outcome = 'deal.lost' and %1$s and %2$s and %3$s
            group by d.lost_reason
            having sum(d.deals) <> 0
            order by n desc, d.lost_reason collate "C" nulls last""".formatted(
                    channelIn("d.channel"), managerIn("d.outcome_owner"), pipelineIn("d.pipeline")));

    private final AgroalDataSource dataSource;

    public LostReasonQuery(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public LostReasonView run(MetricQuery query) {
        var reasons = new ArrayList<LostReason>();
        try (var c = dataSource.getConnection(); var st = SQL.prepare(c, query.params()); var rs = st.executeQuery()) {
            while (rs.next()) {
                reasons.add(new LostReason(rs.getString("reason"), rs.getLong("n"), rs.getDouble("share")));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Lost reason query failed", e);
        }
        return new LostReasonView(reasons.stream().mapToLong(LostReason::count).sum(), reasons);
    }
}
