package io.crmanalytics.common;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.crmanalytics.TestApi;
import io.crmanalytics.db.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TestDatabase.class)
class ProblemMappersTest {

    @Test
    void unknownPathIs404ProblemJson() {
        given().when().get("/api/v1/no-such-thing")
                .then().statusCode(404).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("about:blank"))
                .body("title", equalTo("Not Found"))
                .body("status", equalTo(404))
                .body("detail", equalTo("No such resource"));
    }

    @Test
    void wrongMethodIs405ProblemJson() {
        given().when().get("/api/v1/events")
                .then().statusCode(405).contentType(Problem.MEDIA_TYPE).body("status", equalTo(405));
    }

    @Test
    void unparsableBodyOfATypedEndpointIs400NamingTheJsonError() {
        given().auth().oauth2(TestApi.ADMIN_KEY).contentType(ContentType.JSON).body("{\"name\":")
                .when().post("/api/v1/workspaces")
                .then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("detail", startsWith("The body is not valid JSON: "));
    }
}
