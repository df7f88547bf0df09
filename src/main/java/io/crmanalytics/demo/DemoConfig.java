package io.crmanalytics.demo;

import io.smallrye.config.ConfigMapping;
import java.time.LocalDate;
import java.util.Optional;

/** The demo workspace: loaded at startup when enabled (CRM_DEMO=true). */
@ConfigMapping(prefix = "crm.demo")
public interface DemoConfig {

    boolean enabled();

    long seed();

    /** Volume: about 50,000 events per unit (see {@link DemoGenerator#approximateEvents}); fractions allowed. */
    double scale();

    /** The day the history ends (exclusive); default today in UTC. A fixed date makes the demo reproducible. */
    Optional<LocalDate> endDate();
}
