package io.crmanalytics.ingest;

import static io.crmanalytics.ingest.EventType.Kind.BOOLEAN;
import static io.crmanalytics.ingest.EventType.Kind.COUNT;
import static io.crmanalytics.ingest.EventType.Kind.ID;
import static io.crmanalytics.ingest.EventType.Kind.INSTANT;
import static io.crmanalytics.ingest.EventType.Kind.MONEY;
import static io.crmanalytics.ingest.EventType.Kind.RATING;
import static io.crmanalytics.ingest.EventType.Kind.TEXT;
import static io.crmanalytics.ingest.EventType.Kind.UTM;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Every event type of the contract with its fields: name, kind, whether required, and column. */
public enum EventType {
    LEAD_CREATED("lead.created", req("leadId", ID, Column.LEAD_ID), opt("channel", TEXT, Column.CHANNEL),
            opt("campaign", TEXT, Column.CAMPAIGN), opt("utm", UTM, null),
            opt("trackingNumber", TEXT, Column.TRACKING_NUMBER), opt("customerId", ID, Column.CUSTOMER_ID),
            opt("managerId", ID, Column.MANAGER_ID)),
    LEAD_QUALIFIED("lead.qualified", req("leadId", ID, Column.LEAD_ID), opt("reason", TEXT, Column.REASON)),
    LEAD_DISQUALIFIED("lead.disqualified", req("leadId", ID, Column.LEAD_ID), opt("reason", TEXT, Column.REASON)),
    DEAL_CREATED("deal.created", req("dealId", ID, Column.DEAL_ID), req("pipeline", ID, Column.PIPELINE),
            req("stage", ID, Column.STAGE), opt("leadId", ID, Column.LEAD_ID),
            opt("customerId", ID, Column.CUSTOMER_ID), opt("managerId", ID, Column.MANAGER_ID),
            opt("amount", MONEY, Column.AMOUNT)),
    DEAL_STAGE_CHANGED("deal.stage_changed", req("dealId", ID, Column.DEAL_ID), opt("pipeline", ID, Column.PIPELINE),
            req("toStage", ID, Column.STAGE), opt("fromStage", ID, Column.FROM_STAGE),
            opt("managerId", ID, Column.MANAGER_ID)),
    DEAL_WON("deal.won", req("dealId", ID, Column.DEAL_ID), req("amount", MONEY, Column.AMOUNT)),
    DEAL_LOST("deal.lost", req("dealId", ID, Column.DEAL_ID), opt("lostReason", TEXT, Column.REASON)),
    DEAL_REASSIGNED("deal.reassigned", req("dealId", ID, Column.DEAL_ID), req("managerId", ID, Column.MANAGER_ID)),
    PAYMENT_RECEIVED("payment.received", req("paymentId", ID, Column.SUBJECT_ID), req("amount", MONEY, Column.AMOUNT),
            req("customerId", ID, Column.CUSTOMER_ID), opt("dealId", ID, Column.DEAL_ID)),
    CALL_LOGGED("call.logged", req("callId", ID, Column.SUBJECT_ID), req("direction", Kind.DIRECTION, Column.DIRECTION),
            req("answered", BOOLEAN, Column.ANSWERED), req("durationSec", COUNT, Column.DURATION_SEC),
            opt("managerId", ID, Column.MANAGER_ID), opt("leadId", ID, Column.LEAD_ID),
            opt("dealId", ID, Column.DEAL_ID), opt("trackingNumber", TEXT, Column.TRACKING_NUMBER)),
    MEETING_LOGGED("meeting.logged", req("meetingId", ID, Column.SUBJECT_ID), req("managerId", ID, Column.MANAGER_ID),
            opt("leadId", ID, Column.LEAD_ID), opt("dealId", ID, Column.DEAL_ID)),
    MESSAGE_SENT("message.sent", req("messageId", ID, Column.SUBJECT_ID), req("managerId", ID, Column.MANAGER_ID),
            req("medium", Kind.MEDIUM, Column.MEDIUM), opt("leadId", ID, Column.LEAD_ID),
            opt("dealId", ID, Column.DEAL_ID)),
    TASK_CREATED("task.created", req("taskId", ID, Column.SUBJECT_ID), req("managerId", ID, Column.MANAGER_ID),
            opt("dueAt", INSTANT, Column.DUE_AT), opt("dealId", ID, Column.DEAL_ID)),
    TASK_COMPLETED("task.completed", req("taskId", ID, Column.SUBJECT_ID)),
    TICKET_OPENED("ticket.opened", req("ticketId", ID, Column.SUBJECT_ID), opt("customerId", ID, Column.CUSTOMER_ID),
            req("category", ID, Column.CATEGORY), opt("managerId", ID, Column.MANAGER_ID)),
    TICKET_RESOLVED("ticket.resolved", req("ticketId", ID, Column.SUBJECT_ID)),
    TICKET_RATED("ticket.rated", req("ticketId", ID, Column.SUBJECT_ID), req("rating", RATING, Column.RATING)),
    MARKETING_SPEND("marketing.spend", req("channel", ID, Column.CHANNEL), opt("campaign", TEXT, Column.CAMPAIGN),
            req("amount", MONEY, Column.AMOUNT)),
    SITE_VISIT("site.visit", req("visitorId", ID, Column.SUBJECT_ID), opt("channel", TEXT, Column.CHANNEL),
            opt("utm", UTM, null), opt("leadId", ID, Column.LEAD_ID));

    /** How a field's value is checked. */
    public enum Kind {
        /** non-empty string of at most 128 characters */
        ID,
        /** free text; empty means absent */
        TEXT,
        /** non-negative decimal below 10^13 with at most 2 decimals */
        MONEY,
        INSTANT,
        BOOLEAN,
        /** non-negative integer */
        COUNT,
        /** integer 1..5 */
        RATING,
        DIRECTION,
        MEDIUM,
        /** object {source, medium, campaign} */
        UTM
    }

    public record Field(String name, Kind kind, boolean required, Column column) {
    }

    private static final Map<String, EventType> BY_WIRE_NAME =
            Arrays.stream(values()).collect(Collectors.toMap(t -> t.wireName, Function.identity()));

    public final String wireName;
    public final List<Field> fields;

    EventType(String wireName, Field... fields) {
        this.wireName = wireName;
        this.fields = List.of(fields);
    }

    public static Optional<EventType> of(String wireName) {
        return Optional.ofNullable(BY_WIRE_NAME.get(wireName));
    }

    public static String wireNames() {
        return Arrays.stream(values()).map(t -> t.wireName).collect(Collectors.joining(", "));
    }

    private static Field req(String name, Kind kind, Column column) {
        return new Field(name, kind, true, column);
    }

    private static Field opt(String name, Kind kind, Column column) {
        return new Field(name, kind, false, column);
    }
}
