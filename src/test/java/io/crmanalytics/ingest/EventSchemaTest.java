package io.crmanalytics.ingest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmanalytics.db.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The hand-written event schemas (META-INF/openapi.yaml) describe exactly what EventType validates. */
@QuarkusTest
@QuarkusTestResource(TestDatabase.class)
class EventSchemaTest {

    @Test
    void everyEventTypeIsDocumentedWithItsFields() throws Exception {
        String json = given().queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200).extract().asString();
        JsonNode schemas = new ObjectMapper().readTree(json).path("components").path("schemas");
        JsonNode mapping = schemas.path("Event").path("discriminator").path("mapping");
        assertEquals(EventType.values().length, mapping.size(), "one discriminator mapping per event type");
        for (var type : EventType.values()) {
            String ref = mapping.path(type.wireName).asText();
            JsonNode own = schemas.path(ref.substring(ref.lastIndexOf('/') + 1)).path("allOf").path(1);
            assertEquals(type.wireName, own.path("properties").path("type").path("const").asText(), ref);
            var fields = new TreeSet<String>();
            var required = new TreeSet<String>();
            for (var field : type.fields) {
                fields.add(field.name());
                if (field.required()) {
                    required.add(field.name());
                }
            }
            fields.add("type");
            required.add("type");
            assertEquals(fields, names(own.path("properties").fieldNames()), type.wireName + " properties");
            assertEquals(required, values(own.path("required")), type.wireName + " required");
        }
    }

    private static Set<String> names(Iterator<String> it) {
        var out = new TreeSet<String>();
        it.forEachRemaining(out::add);
        return out;
    }

    private static Set<String> values(JsonNode array) {
        var out = new TreeSet<String>();
        array.forEach(node -> out.add(node.asText()));
        return out;
    }
}
