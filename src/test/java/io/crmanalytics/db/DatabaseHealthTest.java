package io.crmanalytics.db;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * Readiness includes the datasource check of quarkus-agroal (a validated connection); it turns
 * 503 DOWN when PostgreSQL stops answering, which needs a database to kill and is checked by hand.
 */
@QuarkusTest
@QuarkusTestResource(TestDatabase.class)
class DatabaseHealthTest {

    @Test
    void readinessReportsTheDatabase() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("Database connections health check"))
                .body("checks.find { it.name == 'Database connections health check' }.status", equalTo("UP"));
    }

    @Test
    void livenessIsUp() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }
}
