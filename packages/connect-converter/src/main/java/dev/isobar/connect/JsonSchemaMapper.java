package dev.isobar.connect;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

/**
 * Maps a JSON Schema (the subset message schemas use) to a Connect schema, and JSON values to Connect values.
 *
 * <ul>
 *   <li>object with properties: STRUCT, fields in declaration order; a property not in {@code required} is optional
 *   <li>integer: INT64; number: FLOAT64; string (any format, enum): STRING; boolean: BOOLEAN
 *   <li>array: ARRAY of its {@code items}
 *   <li>nullable: {@code "type": ["T", "null"]} or {@code anyOf}/{@code oneOf} of one schema and {@code {"type": "null"}}
 *   <li>{@code $ref} to {@code #/$defs/...} or {@code #/definitions/...} of the same document
 * </ul>
 *
 * Anything else (unions of several types, objects without properties, remote references) is refused with a
 * DataException naming the path, rather than guessed.
 */
public final class JsonSchemaMapper {
  private static final int MAX_DEPTH = 32;

  private JsonSchemaMapper() {}

  /** The Connect schema of a JSON Schema document. */
  public static Schema toConnectSchema(JsonNode root) {
    return map(root, root, "$", false, 0);
  }

  private static Schema map(JsonNode root, JsonNode node, String path, boolean optional, int depth) {
    if (depth > MAX_DEPTH) throw new DataException("schema nested deeper than " + MAX_DEPTH + " at " + path);
    if (node == null || !node.isObject()) throw new DataException("schema at " + path + " is not an object");
    JsonNode ref = node.get("$ref");
    if (ref != null) return map(root, resolve(root, ref.asText(), path), path, optional, depth + 1);
    for (String combinator : new String[] {"anyOf", "oneOf"}) {
      JsonNode options = node.get(combinator);
      if (options != null) return mapNullableCombinator(root, options, path + "." + combinator, optional, depth);
    }
    String type = null;
    JsonNode typeNode = node.get("type");
    boolean nullable = optional;
    if (typeNode != null && typeNode.isTextual()) {
      type = typeNode.asText();
    } else if (typeNode != null && typeNode.isArray()) {
      for (JsonNode t : typeNode) {
        if ("null".equals(t.asText())) nullable = true;
        else if (type == null) type = t.asText();
        else throw new DataException("union of several types at " + path + " is not supported");
      }
    } else if (node.has("enum") && allStrings(node.get("enum"))) {
      type = "string";
    } else if (node.has("properties")) {
      type = "object";
    }
    if (type == null) throw new DataException("no type at " + path);
    SchemaBuilder builder;
    switch (type) {
      case "string" -> builder = SchemaBuilder.string();
      case "integer" -> builder = SchemaBuilder.int64();
      case "number" -> builder = SchemaBuilder.float64();
      case "boolean" -> builder = SchemaBuilder.bool();
      case "array" -> {
        JsonNode items = node.get("items");
        if (items == null) throw new DataException("array without items at " + path);
        builder = SchemaBuilder.array(map(root, items, path + "[]", false, depth + 1));
      }
      case "object" -> builder = struct(root, node, path, depth);
      default -> throw new DataException("type \"" + type + "\" at " + path + " is not supported");
    }
    JsonNode title = node.get("title");
    if (title != null && title.isTextual() && "object".equals(type)) builder.name(title.asText());
    JsonNode description = node.get("description");
    if (description != null && description.isTextual()) builder.doc(description.asText());
    if (nullable) builder.optional();
    return builder.build();
  }

  private static SchemaBuilder struct(JsonNode root, JsonNode node, String path, int depth) {
    JsonNode properties = node.get("properties");
    if (properties == null || !properties.isObject() || properties.isEmpty()) {
      throw new DataException("object without properties at " + path + " is not supported");
    }
    Set<String> required = new HashSet<>();
    JsonNode requiredNode = node.get("required");
    if (requiredNode != null) for (JsonNode r : requiredNode) required.add(r.asText());
    SchemaBuilder builder = SchemaBuilder.struct();
    Iterator<Map.Entry<String, JsonNode>> fields = properties.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String name = field.getKey();
      builder.field(name, map(root, field.getValue(), path + "." + name, !required.contains(name), depth + 1));
    }
    return builder;
  }

  private static Schema mapNullableCombinator(
      JsonNode root, JsonNode options, String path, boolean optional, int depth) {
    JsonNode single = null;
    boolean nullable = optional;
    for (JsonNode option : options) {
      JsonNode type = option.get("type");
      if (type != null && "null".equals(type.asText())) nullable = true;
      else if (single == null) single = option;
      else throw new DataException("union of several schemas at " + path + " is not supported");
    }
    if (single == null) throw new DataException("only null at " + path);
    return map(root, single, path, nullable, depth + 1);
  }

  private static JsonNode resolve(JsonNode root, String ref, String path) {
    if (!ref.startsWith("#/")) throw new DataException("reference " + ref + " at " + path + " is not supported");
    JsonNode target = root.at(ref.substring(1));
    if (target.isMissingNode()) throw new DataException("reference " + ref + " at " + path + " not found");
    return target;
  }

  private static boolean allStrings(JsonNode values) {
    if (!values.isArray() || values.isEmpty()) return false;
    for (JsonNode v : values) if (!v.isTextual()) return false;
    return true;
  }

  /** The Connect value of a JSON value under its mapped schema; a mismatch is a DataException naming the path. */
  public static Object toConnectValue(Schema schema, JsonNode value, String path) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      if (schema.isOptional()) return null;
      throw new DataException("missing required value at " + path);
    }
    switch (schema.type()) {
      case STRING -> {
        if (!value.isTextual()) throw mismatch("a string", value, path);
        return value.textValue();
      }
      case INT64 -> {
        if (value.isIntegralNumber() && value.canConvertToLong()) return value.longValue();
        // JSON Schema counts 3.0 as an integer.
        if (value.isFloatingPointNumber() && value.canConvertToExactIntegral() && value.canConvertToLong()) {
          return value.longValue();
        }
        throw mismatch("an integer", value, path);
      }
      case FLOAT64 -> {
        if (!value.isNumber()) throw mismatch("a number", value, path);
        return value.doubleValue();
      }
      case BOOLEAN -> {
        if (!value.isBoolean()) throw mismatch("a boolean", value, path);
        return value.booleanValue();
      }
      case ARRAY -> {
        if (!value.isArray()) throw mismatch("an array", value, path);
        List<Object> list = new ArrayList<>(value.size());
        int i = 0;
        for (JsonNode item : value) list.add(toConnectValue(schema.valueSchema(), item, path + "[" + i++ + "]"));
        return list;
      }
      case STRUCT -> {
        if (!value.isObject()) throw mismatch("an object", value, path);
        Struct struct = new Struct(schema);
        for (Field field : schema.fields()) {
          struct.put(field, toConnectValue(field.schema(), value.get(field.name()), path + "." + field.name()));
        }
        Iterator<String> names = value.fieldNames();
        while (names.hasNext()) {
          String name = names.next();
          if (schema.field(name) == null) throw new DataException("unknown property " + path + "." + name);
        }
        return struct;
      }
      default -> throw new DataException("unexpected schema type " + schema.type() + " at " + path);
    }
  }

  private static DataException mismatch(String expected, JsonNode value, String path) {
    return new DataException(path + " must be " + expected + ", got " + value.getNodeType().name().toLowerCase());
  }
}
