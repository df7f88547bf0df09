package io.crmanalytics.demo;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.agroal.api.AgroalDataSource;
import io.crmanalytics.db.TestDatabase;
import io.crmanalytics.workspace.ApiKeys;
import io.crmanalytics.workspace.Caller;
import io.crmanalytics.workspace.Scope;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TestDatabase.class)
@TestProfile(DemoLoaderTest.DemoEnabled.class)
class DemoLoaderTest {

    public static class DemoEnabled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("crm.demo.enabled", "true", "crm.demo.seed", "7", "crm.demo.scale", "0.05",
                    "crm.demo.end-date", "2026-03-01");
        }
    }

    @Inject
    DemoLoader loader;

    @Inject
    ApiKeys keys;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void loadsTheWholeHistoryIntoTheDemoWorkspaceOnce() throws Exception {
        long expected = 0;
        for (var g = new DemoGenerator(7, 0.05, LocalDate.of(2026, 3, 1)); g.hasNext(); g.next()) {
            expected++;
        }
        long deadline = System.currentTimeMillis() + 120_000;
        while (storedEvents() < expected && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        assertEquals(expected, storedEvents());
        // a restart finds the workspace with its events and leaves both as they are
        assertFalse(loader.prepare());
        assertEquals(expected, storedEvents());
    }

    @Test
    void theDocumentedKeysAreAccepted() {
        assertEquals(Optional.of(new Caller(DemoLoader.WORKSPACE_ID, Scope.READ)), keys.resolve("demo-read-key"));
        // the read key is known (403: wrong scope, not 401: unknown) and the ingest key writes
        given().auth().oauth2("demo-read-key").contentType(ContentType.JSON).body("[]")
                .when().post("/api/v1/events").then().statusCode(403);
        given().auth().oauth2("demo-ingest-key").contentType(ContentType.JSON).body("[]")
                .when().post("/api/v1/events").then().statusCode(200).body("accepted", equalTo(0));
        assertEquals(Optional.of(new Caller(DemoLoader.WORKSPACE_ID, Scope.ADMIN)), keys.resolve("demo-admin-key"));
    }

    private long storedEvents() throws Exception {
        try (var c = dataSource.getConnection();
             var st = c.prepareStatement("select count(*) from events where workspace_id = ?")) {
            st.setObject(1, DemoLoader.WORKSPACE_ID);
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
