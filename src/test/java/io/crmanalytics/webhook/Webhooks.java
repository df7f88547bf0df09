package io.crmanalytics.webhook;

import io.agroal.api.AgroalDataSource;
import io.crmanalytics.TestApi;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Shared steps of the webhook tests: fixtures, config, signing, and reading back the events table. */
final class Webhooks {

    private Webhooks() {
    }

    static String fixture(String path) {
        try (InputStream in = Webhooks.class.getClassLoader().getResourceAsStream("webhooks/" + path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("No fixture " + path, e);
        }
    }

    static void configure(TestApi.Keys ws, String crm, String json) {
        RestAssured.given().auth().oauth2(ws.admin()).contentType(ContentType.JSON).body(json)
                .when().put("/api/v1/webhooks/" + crm + "/config").then().statusCode(200);
    }

    static String path(String crm, TestApi.Keys ws) {
        return "/api/v1/webhooks/" + crm + "?workspace=" + ws.id();
    }

    /** The URL HubSpot would have signed for a request to this service under test. */
    static String absolute(String path) {
        return RestAssured.baseURI + ":" + RestAssured.port + path;
    }

    static String hubspotSignature(String secret, String uri, String body, String timestamp) {
        return Base64.getEncoder().encodeToString(HubSpotAdapter.hmac(secret, "POST" + uri + body + timestamp));
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** The rows of a one-column query with the workspace id as its only parameter, in order. */
    static List<String> rows(AgroalDataSource dataSource, TestApi.Keys ws, String sql) throws SQLException {
        try (var c = dataSource.getConnection(); var st = c.prepareStatement(sql)) {
            st.setString(1, ws.id());
            var list = new ArrayList<String>();
            try (var rs = st.executeQuery()) {
                while (rs.next()) {
                    list.add(rs.getString(1));
                }
            }
            return list;
        }
    }

    /** Every event of the workspace as "eventId|type|occurredAt|fields", ordered by eventId. */
    static List<String> events(AgroalDataSource dataSource, TestApi.Keys ws) throws SQLException {
        return rows(dataSource, ws, """
                select concat_ws('|', event_id, type, to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                  'lead=' || lead_id, 'deal=' || deal_id, 'subject=' || subject_id, 'manager=' || manager_id,
                  'pipeline=' || pipeline, 'stage=' || stage, 'from=' || from_stage, 'amount=' || amount,
                  'currency=' || currency, 'utm=' || utm_source || '/' || utm_campaign, 'tracking=' || tracking_number,
                  'reason=' || reason, 'direction=' || direction, 'answered=' || answered, 'duration=' || duration_sec,
                  'due=' || to_char(due_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), 'source=' || source)
                from events where workspace_id = ?::uuid order by event_id""");
    }
}
