package io.github.mondoowif.internal.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Minimal JSON on jackson-core's streaming API: objects become {@code Map<String, Object>} with
 * {@code String}, {@code Long}, {@code Double}, {@code Boolean}, {@code List}, {@code Map} or {@code null}
 * values. Streaming costs a fraction of {@code ObjectMapper}'s class loading, which matters on the agent's
 * path to {@code main()}. Internal, may change.
 */
public final class Json {
  private static final int MAX_DEPTH = 64;
  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
          .build();

  private Json() {}

  /** Parses a JSON object. Anything else (array, scalar, trailing garbage, bad syntax) is an error. */
  public static Map<String, Object> parseObject(String text) throws MalformedJsonException {
    if (text == null || text.isBlank()) {
      throw new MalformedJsonException("empty body, expected a JSON object");
    }
    try (JsonParser p = FACTORY.createParser(text)) {
      JsonToken first = p.nextToken();
      if (first != JsonToken.START_OBJECT) {
        throw new MalformedJsonException("expected a JSON object, found " + describe(first));
      }
      Map<String, Object> result = readObject(p);
      if (p.nextToken() != null) {
        throw new MalformedJsonException("unexpected content after the JSON object");
      }
      return result;
    } catch (MalformedJsonException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // Jackson's message quotes the input; keep only the location.
      throw new MalformedJsonException("malformed JSON (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static String describe(JsonToken t) {
    if (t == null) {
      return "nothing";
    }
    switch (t) {
      case START_ARRAY:
        return "an array";
      case VALUE_STRING:
        return "a string";
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return "a number";
      default:
        return t.asString() == null ? t.name().toLowerCase() : t.asString();
    }
  }

  private static Map<String, Object> readObject(JsonParser p) throws IOException {
    Map<String, Object> map = new LinkedHashMap<>();
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      map.put(name, readValue(p));
    }
    if (t != JsonToken.END_OBJECT) {
      throw new MalformedJsonException("unterminated JSON object");
    }
    return map;
  }

  private static Object readValue(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == null) {
      throw new MalformedJsonException("truncated JSON");
    }
    switch (t) {
      case START_OBJECT:
        return readObject(p);
      case START_ARRAY:
        List<Object> list = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          if (p.currentToken() == null) {
            throw new MalformedJsonException("unterminated JSON array");
          }
          list.add(readValue(p));
        }
        return list;
      case VALUE_STRING:
        return p.getText();
      case VALUE_NUMBER_INT:
        return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
            ? (Object) p.getBigIntegerValue().doubleValue()
            : (Object) p.getLongValue();
      case VALUE_NUMBER_FLOAT:
        return p.getDoubleValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        throw new MalformedJsonException("unexpected JSON token " + t);
    }
  }

  /** A string member, or {@code null} when absent; a non-string value is an error. */
  public static String string(Map<String, Object> obj, String key) throws MalformedJsonException {
    Object v = obj.get(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String)) {
      throw new MalformedJsonException("\"" + key + "\" is not a string");
    }
    return (String) v;
  }

  /** Writes a flat object of strings (and nested maps, lists, numbers, booleans). */
  public static String write(Map<String, ?> obj) {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(w)) {
      writeValue(g, obj);
    } catch (IOException e) {
      throw new IllegalStateException("writing JSON to a string cannot fail", e);
    }
    return w.toString();
  }

  private static void writeValue(JsonGenerator g, Object v) throws IOException {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof Map) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        g.writeFieldName(String.valueOf(e.getKey()));
        writeValue(g, e.getValue());
      }
      g.writeEndObject();
    } else if (v instanceof List) {
      g.writeStartArray();
      for (Object o : (List<?>) v) {
        writeValue(g, o);
      }
      g.writeEndArray();
    } else if (v instanceof Boolean) {
      g.writeBoolean((Boolean) v);
    } else if (v instanceof Long || v instanceof Integer) {
      g.writeNumber(((Number) v).longValue());
    } else if (v instanceof Number) {
      g.writeNumber(((Number) v).doubleValue());
    } else {
      g.writeString(String.valueOf(v));
    }
  }
}
