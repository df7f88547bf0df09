package io.crmanalytics.workspace;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agroal.api.AgroalDataSource;
import io.crmanalytics.TestApi;
import io.crmanalytics.common.Problem;
import io.crmanalytics.db.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TestDatabase.class)
class WorkspaceResourceTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void createAnswers201WithTheWorkspaceAndItsThreeKeys() throws Exception {
        Map<String, String> body = create("{\"name\":\"Acme\",\"currency\":\"EUR\"}")
                .statusCode(201).contentType(ContentType.JSON)
                .body("id", matchesPattern("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"))
                .body("name", equalTo("Acme"))
                .body("currency", equalTo("EUR"))
                .body("ingestKey", matchesPattern("crm_ingest_[A-Za-z0-9_-]{43}"))
                .body("readKey", matchesPattern("crm_read_[A-Za-z0-9_-]{43}"))
                .body("adminKey", matchesPattern("crm_admin_[A-Za-z0-9_-]{43}"))
                .extract().as(Map.class);
        // only hashes are stored: no row holds a key in plain text, one row holds each key's SHA-256
        try (var c = dataSource.getConnection(); var st = c.prepareStatement("""
                select count(*) filter (where key_hash in (?, ?, ?)) || '|' || count(*) filter (where key_hash in (?, ?, ?))
                from api_keys where workspace_id = ?::uuid""")) {
            String[] keys = {body.get("ingestKey"), body.get("readKey"), body.get("adminKey")};
            for (int i = 0; i < 3; i++) {
                st.setString(1 + i, keys[i]);
                st.setString(4 + i, ApiKeys.hash(keys[i]));
            }
            st.setString(7, body.get("id"));
            try (var rs = st.executeQuery()) {
                rs.next();
                assertEquals("0|3", rs.getString(1));
            }
        }
    }

    @Test
    void currencyIsOptional() {
        create("{\"name\":\"No currency yet\"}").statusCode(201).body("currency", nullValue());
    }

    @Test
    void blankNameAndBadCurrencyAre400WithFieldErrors() {
        create("{\"name\":\"  \",\"currency\":\"usd\"}")
                .statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("title", equalTo("Bad Request"))
                .body("detail", equalTo("Validation failed"))
                .body("errors", contains("currency: must be an ISO 4217 code such as USD", "name: must not be blank"));
    }

    @Test
    void missingNameIs400() {
        create("{}").statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("errors", contains("name: must not be blank"));
    }

    @Test
    void tooLongNameIs400() {
        create("{\"name\":\"" + "n".repeat(201) + "\"}").statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("errors", contains("name: size must be between 0 and 200"));
    }

    private static ValidatableResponse create(String json) {
        return given().auth().oauth2(TestApi.ADMIN_KEY).contentType(ContentType.JSON).body(json)
                .when().post("/api/v1/workspaces").then();
    }
}
