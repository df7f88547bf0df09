package io.crmanalytics.query;

import java.math.BigDecimal;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Every single-number figure of the contract; a ratio with a zero denominator is null. */
@Schema(name = "Kpis")
public record Kpis(
        @Schema(description = "Distinct leads with lead.created in the window") long leads,
        @Schema(description = "qualified / (qualified + disqualified) among the window's leads, by status at 'to'")
        Double qualifiedShare,
        @Schema(description = "Sum of marketing.spend in the window") BigDecimal spend,
        @Schema(description = "spend / leads") Double costPerLead,
        @Schema(description = "Deals whose outcome at 'to' is won by an event in the window") long dealsWon,
        @Schema(description = "Deals whose outcome at 'to' is lost by an event in the window") long dealsLost,
        @Schema(description = "dealsWon / (dealsWon + dealsLost)") Double winRate,
        @Schema(description = "Sum of payments in the window (each paymentId once)") BigDecimal revenue,
        @Schema(description = "Count of payments in the window") long payments,
        @Schema(description = "revenue / payments") Double averageCheck,
        @Schema(description = "dealsWon / leads") Double conversionRate,
        @Schema(description = "site.visit events in the window") long visits,
        @Schema(description = "leads / distinct visitors") Double visitToLeadRate,
        @Schema(description = "Days from lead (else deal) creation to deal.won, for deals won in the window")
        KpiQuery.MeanMedian cycleTimeDays,
        KpiQuery.FirstResponse firstResponseMinutes,
        @Schema(description = "Customers whose first ever payment is in the window") long newCustomers,
        @Schema(description = "spend / newCustomers") Double cac,
        long ticketsOpened, long ticketsResolved, long complaints, long backlog,
        KpiQuery.MeanMedian resolutionHours, Double csat, Double averageRating) {

    static Kpis of(KpiQuery.Totals t, ServiceQuery.ServiceFigures s) {
        return new Kpis(t.leads(), ratio(t.qualified(), t.qualified() + t.disqualified()), t.spend(),
                ratio(t.spend(), t.leads()), t.dealsWon(), t.dealsLost(), ratio(t.dealsWon(), t.dealsWon() + t.dealsLost()),
                t.revenue(), t.payments(), ratio(t.revenue(), t.payments()), ratio(t.dealsWon(), t.leads()),
                t.visits(), ratio(t.leads(), t.visitors()),
                new KpiQuery.MeanMedian(t.cycleMean(), t.cycleMedian()),
                new KpiQuery.FirstResponse(t.responseMedian(), t.responseP90(), t.unanswered()),
                t.newCustomers(), ratio(t.spend(), t.newCustomers()),
                s.ticketsOpened(), s.ticketsResolved(), s.complaints(), s.backlog(), s.resolutionHours(), s.csat(),
                s.averageRating());
    }

    /** A guarded division: null when the denominator is 0. */
    public static Double ratio(Number numerator, Number denominator) {
        double d = denominator.doubleValue();
        return d == 0 ? null : numerator.doubleValue() / d;
    }
}
