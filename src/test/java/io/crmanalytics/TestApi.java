package io.crmanalytics;

import io.restassured.RestAssured;
import io.restassured.config.JsonConfig;
import io.restassured.http.ContentType;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.util.Map;

/** Shared steps of the API tests: a fresh workspace per test class keeps their data apart. */
public final class TestApi {

    public static final String ADMIN_KEY = "test-bootstrap-admin-key";

    public record Keys(String id, String ingest, String read, String admin) {
    }

    /** A request whose JSON numbers are read as doubles, so figures compare exactly, not as floats. */
    public static RequestSpecification given() {
        return RestAssured.given().config(RestAssured.config()
                .jsonConfig(JsonConfig.jsonConfig().numberReturnType(JsonPathConfig.NumberReturnType.DOUBLE)));
    }

    private TestApi() {
    }

    public static Keys newWorkspace(String name) {
        Map<String, String> body = RestAssured.given().auth().oauth2(ADMIN_KEY).contentType(ContentType.JSON)
                .body(Map.of("name", name))
                .when().post("/api/v1/workspaces")
                .then().statusCode(201)
                .extract().as(Map.class);
        return new Keys(body.get("id"), body.get("ingestKey"), body.get("readKey"), body.get("adminKey"));
    }

    public static ValidatableResponse ingest(Keys keys, String json) {
        return RestAssured.given().auth().oauth2(keys.ingest()).contentType(ContentType.JSON).body(json)
                .when().post("/api/v1/events")
                .then();
    }
}
