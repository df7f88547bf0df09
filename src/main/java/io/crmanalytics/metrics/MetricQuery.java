package io.crmanalytics.metrics;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** One parsed question: whose data, over which window, narrowed how. */
public record MetricQuery(UUID workspace, TimeWindow window, Filters filters) {

    public MetricQuery over(TimeWindow other) {
        return new MetricQuery(workspace, other, filters);
    }

    /**
     * The bound parameters every metric SQL may use: :ws, :from, :to, :channels, :managers, :pipelines,
     * and the window's whole UTC days for the daily rollups (see {@link Rollups}).
     */
    public Map<String, Object> params() {
        var params = new HashMap<String, Object>();
        params.put("ws", workspace);
        params.put("from", window.from());
        params.put("to", window.to());
        Rollups.putDays(params, window.from(), window.to());
        params.put("channels", filters.channels());
        params.put("managers", filters.managers());
        params.put("pipelines", filters.pipelines());
        return params;
    }

    public Instant from() {
        return window.from();
    }

    public Instant to() {
        return window.to();
    }
}
