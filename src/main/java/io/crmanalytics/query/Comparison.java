package io.crmanalytics.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;

/**
 * compare=previous: every object of a report gets {@code previous} (its figures over the window just
 * before), {@code change} (current − previous) and {@code changeRate} ((current − previous) / previous,
 * null when previous is 0 or either is null) for each numeric figure, nested ones too. Rows of arrays
 * are matched with the previous window's rows by their key fields (channel, managerId, stage, ...), time
 * series points by position; a row the previous window lacks is compared with zero counts.
 */
final class Comparison {

    private Comparison() {
    }

    static void attach(ObjectNode current, ObjectNode previous, List<String> keys) {
        ObjectNode change = current.objectNode();
        ObjectNode rate = current.objectNode();
        diff(current, previous, change, rate);
        for (var it = current.fields(); it.hasNext(); ) {
            var field = it.next();
            if (field.getValue() instanceof ArrayNode rows) {
                JsonNode previousRows = previous.path(field.getKey());
                for (int i = 0; i < rows.size(); i++) {
                    if (rows.get(i) instanceof ObjectNode object) {
                        attach(object, match(object, i, previousRows, keys), keys);
                    }
                }
            }
        }
        ObjectNode figures = previous.deepCopy();
        figures.remove(figures.properties().stream().filter(f -> f.getValue().isArray()).map(f -> f.getKey()).toList());
        current.set("previous", figures);
        current.set("change", change);
        current.set("changeRate", rate);
    }

    /** The previous row with the same keys; rows without keys (time series points) match by position. */
    private static ObjectNode match(ObjectNode row, int index, JsonNode previousRows, List<String> keys) {
        if (keys.stream().noneMatch(row::has) && previousRows.get(index) instanceof ObjectNode same) {
            return same;
        }
        for (JsonNode candidate : previousRows) {
            if (keys.stream().filter(row::has).allMatch(k -> candidate.path(k).equals(row.path(k)))) {
                return (ObjectNode) candidate;
            }
        }
        ObjectNode empty = row.deepCopy();
        zero(empty, keys);
        return empty;
    }

    /** A row absent from the previous window: its counts were 0 and its ratios undefined. */
    private static void zero(ObjectNode row, List<String> keys) {
        for (var field : row.properties()) {
            JsonNode value = field.getValue();
            if (keys.contains(field.getKey())) {
                continue;
            }
            if (value instanceof ObjectNode nested) {
                zero(nested, keys);
            } else if (value instanceof ArrayNode) {
                field.setValue(row.arrayNode());
            } else if (value.isIntegralNumber() || value.isBigDecimal()) {
                field.setValue(row.numberNode(0));
            } else if (value.isNumber()) {
                field.setValue(row.nullNode());
            }
        }
    }

    private static void diff(JsonNode current, JsonNode previous, ObjectNode change, ObjectNode rate) {
        for (var field : current.properties()) {
            String name = field.getKey();
            JsonNode cur = field.getValue();
            JsonNode prev = previous == null ? null : previous.get(name);
            if (cur.isObject()) {
                diff(cur, prev, change.putObject(name), rate.putObject(name));
            } else if (cur.isNumber() && prev != null && prev.isNumber()) {
                BigDecimal delta = cur.decimalValue().subtract(prev.decimalValue());
                change.put(name, delta);
                if (prev.decimalValue().signum() == 0) {
                    rate.putNull(name);
                } else {
                    rate.put(name, delta.divide(prev.decimalValue(), MathContext.DECIMAL64).doubleValue());
                }
            } else if (cur.isNumber() || cur.isNull() && prev != null && prev.isNumber()) {
                change.putNull(name);
                rate.putNull(name);
            }
        }
    }
}
