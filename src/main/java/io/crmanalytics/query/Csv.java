package io.crmanalytics.query;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** RFC 4180 CSV: a header row, CRLF line ends, nested objects flattened to dotted column names. */
final class Csv {

    private Csv() {
    }

    static String write(List<JsonNode> rows) {
        var flat = new ArrayList<Map<String, String>>();
        var columns = new LinkedHashSet<String>();
        for (var row : rows) {
            var cells = new LinkedHashMap<String, String>();
            flatten("", row, cells);
            columns.addAll(cells.keySet());
            flat.add(cells);
        }
        var out = new StringBuilder();
        out.append(String.join(",", columns.stream().map(Csv::quote).toList())).append("\r\n");
        for (var cells : flat) {
            out.append(String.join(",", columns.stream().map(c -> quote(cells.getOrDefault(c, ""))).toList()))
                    .append("\r\n");
        }
        return out.toString();
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> cells) {
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> flatten(prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey(),
                    f.getValue(), cells));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                flatten(prefix + "." + i, node.get(i), cells);
            }
        } else {
            cells.put(prefix, node.isNull() ? "" : node.asText());
        }
    }

    private static String quote(String value) {
        if (value.contains(",") || value.contains("\"") || value.contains("\r") || value.contains("\n")) {
            return "\"" + value.replace("\"", "\"\"") + "\"";
        }
        return value;
    }
}
