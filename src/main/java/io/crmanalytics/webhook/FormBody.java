package io.crmanalytics.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An application/x-www-form-urlencoded body with PHP-style nested keys, as amoCRM and Bitrix24 send
 * them, as a tree: {@code leads[status][0][id]=5} becomes {@code {"leads":{"status":{"0":{"id":"5"}}}}}.
 * List indexes stay object keys, in the order sent.
 */
final class FormBody {

    private FormBody() {
    }

    static ObjectNode parse(byte[] body) {
        var root = JsonNodeFactory.instance.objectNode();
        for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            var path = path(key);
            ObjectNode node = root;
            for (int i = 0; i < path.size() - 1; i++) {
                String segment = path.get(i).isEmpty() ? String.valueOf(node.size()) : path.get(i);
                JsonNode child = node.get(segment);
                node = child instanceof ObjectNode object ? object : node.putObject(segment);
            }
            String last = path.get(path.size() - 1);
            node.put(last.isEmpty() ? String.valueOf(node.size()) : last, value);
        }
        return root;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new MalformedPayload("The body is not valid application/x-www-form-urlencoded: " + e.getMessage());
        }
    }

    /** "a[b][0][c]" → [a, b, 0, c]; a key with unbalanced brackets is one plain name. */
    private static List<String> path(String key) {
        int open = key.indexOf('[');
        if (open <= 0 || !key.endsWith("]")) {
            return List.of(key);
        }
        var path = new ArrayList<String>();
        path.add(key.substring(0, open));
        int i = open;
        while (i < key.length()) {
            if (key.charAt(i) != '[') {
                return List.of(key);
            }
            int close = key.indexOf(']', i);
            if (close < 0) {
                return List.of(key);
            }
            path.add(key.substring(i + 1, close));
            i = close + 1;
        }
        return path;
    }
}
