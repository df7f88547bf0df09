package io.crmanalytics.common;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.crmanalytics.db.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The committed openapi.yaml is the contract clients read: it must be exactly what the service
 * serves. Regenerate it with {@code ./mvnw -B test -Dtest=OpenApiDocumentTest -Dopenapi.write=true}.
 */
@QuarkusTest
@QuarkusTestResource(TestDatabase.class)
class OpenApiDocumentTest {

    private static final Path COMMITTED = Path.of("openapi.yaml");
    private static final String REGENERATE = "./mvnw -B test -Dtest=OpenApiDocumentTest -Dopenapi.write=true";

    @Test
    void committedDocumentIsWhatTheServiceServes() throws IOException {
        String served = given().when().get("/q/openapi").then().statusCode(200).extract().asString();
        if (Boolean.getBoolean("openapi.write")) {
            Files.writeString(COMMITTED, served);
        }
        assertTrue(Files.exists(COMMITTED), "openapi.yaml is missing; create it with: " + REGENERATE);
        var yaml = new ObjectMapper(new YAMLFactory());
        var differences = new ArrayList<String>();
        diff("", yaml.readTree(COMMITTED.toFile()), yaml.readTree(served), differences);
        assertTrue(differences.isEmpty(), "openapi.yaml differs from /q/openapi at " + differences
                + "; if the change is intended, regenerate it with: " + REGENERATE);
    }

    /** Collects the JSON pointers (at most 10) where the two documents differ. */
    private static void diff(String at, JsonNode committed, JsonNode served, List<String> out) {
        if (out.size() >= 10 || committed.equals(served)) {
            return;
        }
        if (committed.isObject() && served.isObject()) {
            var names = new TreeSet<String>();
            committed.fieldNames().forEachRemaining(names::add);
            served.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                String path = at + "/" + name.replace("~", "~0").replace("/", "~1");
                if (!committed.has(name) || !served.has(name)) {
                    out.add(path + (committed.has(name) ? " (only committed)" : " (only served)"));
                } else {
                    diff(path, committed.get(name), served.get(name), out);
                }
            }
        } else {
            out.add(at.isEmpty() ? "/" : at);
        }
    }
}
