package io.crmanalytics.common;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A statement with named parameters (:name, repeatable) over plain JDBC: the metric queries reuse
 * :ws, :from and :to many times and bind text arrays, which JPA native queries handle poorly.
 * Every value is bound, never pasted into the SQL text.
 */
public final class Sql {

    private static final Pattern NAMED = Pattern.compile("(?<![:\\w]):([a-zA-Z]\\w*)");
    // a :name in a comment would become a ? the server never sees; the statements hold no "--" in strings
    private static final Pattern LINE_COMMENT = Pattern.compile("--[^\n]*");

    private final String jdbcSql;
    private final List<String> names = new ArrayList<>();

    public Sql(String sql) {
        var matcher = NAMED.matcher(LINE_COMMENT.matcher(sql).replaceAll(""));
        var out = new StringBuilder();
        while (matcher.find()) {
            names.add(matcher.group(1));
            matcher.appendReplacement(out, "?");
        }
        matcher.appendTail(out);
        this.jdbcSql = out.toString();
    }

    public PreparedStatement prepare(Connection c, Map<String, ?> params) throws SQLException {
        var st = c.prepareStatement(jdbcSql);
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (!params.containsKey(name)) {
                throw new IllegalArgumentException("No value for :" + name);
            }
            bind(c, st, i + 1, params.get(name));
        }
        return st;
    }

    private static void bind(Connection c, PreparedStatement st, int index, Object value) throws SQLException {
        if (value instanceof Instant instant) {
            st.setObject(index, instant.atOffset(ZoneOffset.UTC));
        } else if (value instanceof Collection<?> values) {
            st.setArray(index, c.createArrayOf("text", values.toArray()));
        } else {
            st.setObject(index, value);
        }
    }
}
