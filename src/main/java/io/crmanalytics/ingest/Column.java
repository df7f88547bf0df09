package io.crmanalytics.ingest;

/** The typed columns of the events table that event fields land in, in insert order. */
public enum Column {
    LEAD_ID("lead_id", "text"),
    DEAL_ID("deal_id", "text"),
    CUSTOMER_ID("customer_id", "text"),
    MANAGER_ID("manager_id", "text"),
    SUBJECT_ID("subject_id", "text"),
    PIPELINE("pipeline", "text"),
    STAGE("stage", "text"),
    FROM_STAGE("from_stage", "text"),
    AMOUNT("amount", "numeric"),
    CHANNEL("channel", "text"),
    CAMPAIGN("campaign", "text"),
    UTM_SOURCE("utm_source", "text"),
    UTM_MEDIUM("utm_medium", "text"),
    UTM_CAMPAIGN("utm_campaign", "text"),
    TRACKING_NUMBER("tracking_number", "text"),
    REASON("reason", "text"),
    CATEGORY("category", "text"),
    DIRECTION("direction", "text"),
    MEDIUM("medium", "text"),
    ANSWERED("answered", "boolean"),
    DURATION_SEC("duration_sec", "integer"),
    RATING("rating", "smallint"),
    DUE_AT("due_at", "timestamptz");

    public final String sqlName;
    public final String sqlType;

    Column(String sqlName, String sqlType) {
        this.sqlName = sqlName;
        this.sqlType = sqlType;
    }
}
