package dev.isobar.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The converter against the registry wire format, with a stand-in registry speaking GET /schemas/ids/{id}. */
class RegistryJsonSchemaConverterTest {
  /** The shape of Isobar's window aggregate: required and optional scalars, an enum, a nested object. */
  static final String AGGREGATE_SCHEMA =
      """
      {"$schema":"https://json-schema.org/draft/2020-12/schema","title":"WindowAggregate","type":"object",
       "properties":{
         "sensorId":{"type":"string","minLength":1},
         "field":{"type":"string","enum":["temperatureC","co2Ppm"]},
         "windowStartMs":{"type":"integer","minimum":0},
         "count":{"type":"integer"},
         "mean":{"type":"number"},
         "final":{"type":"boolean"},
         "p95":{"type":"number"},
         "anomaly":{"type":"object","properties":{"maxZ":{"type":"number"},"flagged":{"type":"boolean"}},
                    "required":["maxZ","flagged"],"additionalProperties":false}},
       "required":["sensorId","field","windowStartMs","count","mean","final"],
       "additionalProperties":false}
      """;
  static final String UNIONS_SCHEMA =
      """
      {"type":"object","$defs":{"tag":{"type":"string"}},
       "properties":{
         "a":{"type":["integer","null"]},
         "b":{"anyOf":[{"type":"number"},{"type":"null"}]},
         "tags":{"type":"array","items":{"$ref":"#/$defs/tag"}}},
       "required":["a","b","tags"]}
      """;

  private HttpServer server;
  private final Map<Integer, String> schemas = new ConcurrentHashMap<>();
  private final AtomicInteger requests = new AtomicInteger();
  private RegistryJsonSchemaConverter converter;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/schemas/ids/",
        exchange -> {
          requests.incrementAndGet();
          String id = exchange.getRequestURI().getPath().substring("/schemas/ids/".length());
          String schema = schemas.get(Integer.valueOf(id));
          int status = schema == null ? 404 : id.equals("500") ? 500 : 200;
          String body =
              schema == null
                  ? "{\"error_code\":40403,\"message\":\"Schema not found\"}"
                  : new ObjectMapper().writeValueAsString(Map.of("schemaType", "JSON", "schema", schema));
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status, bytes.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
          }
        });
    server.start();
    converter = new RegistryJsonSchemaConverter();
    converter.configure(
        Map.of("schema.registry.url", "http://127.0.0.1:" + server.getAddress().getPort()), false);
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  static byte[] framed(int id, String json) {
    byte[] payload = json.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(5 + payload.length).put((byte) 0).putInt(id).put(payload).array();
  }

  @Test
  void mapsAFramedValueToAStructWithItsSchema() {
    schemas.put(7, AGGREGATE_SCHEMA);
    String value =
        "{\"sensorId\":\"sim:t-1\",\"field\":\"co2Ppm\",\"windowStartMs\":1700000000000,\"count\":3,"
            + "\"mean\":412.5,\"final\":true,\"anomaly\":{\"maxZ\":1.25,\"flagged\":false}}";
    SchemaAndValue result = converter.toConnectData("sensors.aggregates", framed(7, value));
    Schema schema = result.schema();
    assertEquals(Schema.Type.STRUCT, schema.type());
    assertEquals("WindowAggregate", schema.name());
    assertEquals(Schema.Type.INT64, schema.field("windowStartMs").schema().type());
    assertEquals(Schema.Type.FLOAT64, schema.field("mean").schema().type());
    assertEquals(false, schema.field("sensorId").schema().isOptional());
    assertEquals(true, schema.field("p95").schema().isOptional());
    assertEquals(Schema.Type.STRUCT, schema.field("anomaly").schema().type());
    Struct struct = (Struct) result.value();
    assertEquals("sim:t-1", struct.getString("sensorId"));
    assertEquals(1_700_000_000_000L, struct.getInt64("windowStartMs"));
    assertEquals(3L, struct.getInt64("count"));
    assertEquals(412.5, struct.getFloat64("mean"));
    assertEquals(true, struct.getBoolean("final"));
    assertNull(struct.get("p95"));
    assertEquals(1.25, struct.getStruct("anomaly").getFloat64("maxZ"));
  }

  @Test
  void fetchesEachSchemaIdOnce() {
    schemas.put(7, AGGREGATE_SCHEMA);
    String value =
        "{\"sensorId\":\"sim:t-1\",\"field\":\"co2Ppm\",\"windowStartMs\":1,\"count\":1,\"mean\":1,\"final\":false}";
    SchemaAndValue first = converter.toConnectData("t", framed(7, value));
    SchemaAndValue second = converter.toConnectData("t", framed(7, value));
    assertEquals(1, requests.get());
    assertSame(first.schema(), second.schema());
  }

  @Test
  void mapsNullableUnionsArraysAndLocalReferences() {
    schemas.put(9, UNIONS_SCHEMA);
    SchemaAndValue result = converter.toConnectData("t", framed(9, "{\"a\":null,\"b\":2,\"tags\":[\"x\",\"y\"]}"));
    Schema schema = result.schema();
    assertTrue(schema.field("a").schema().isOptional());
    assertEquals(Schema.Type.INT64, schema.field("a").schema().type());
    assertTrue(schema.field("b").schema().isOptional());
    assertEquals(Schema.Type.ARRAY, schema.field("tags").schema().type());
    assertEquals(Schema.Type.STRING, schema.field("tags").schema().valueSchema().type());
    Struct struct = (Struct) result.value();
    assertNull(struct.get("a"));
    assertEquals(2.0, struct.getFloat64("b"));
    assertEquals(List.of("x", "y"), struct.getArray("tags"));
  }

  @Test
  void aNullValueIsATombstone() {
    assertSame(SchemaAndValue.NULL, converter.toConnectData("t", null));
  }

  @Test
  void refusesBytesNotInTheWireFormat() {
    schemas.put(7, AGGREGATE_SCHEMA);
    DataException shortRecord = assertThrows(DataException.class, () -> converter.toConnectData("t", new byte[3]));
    assertTrue(shortRecord.getMessage().contains("too short"));
    byte[] magic = framed(7, "{}");
    magic[0] = 1;
    DataException badMagic = assertThrows(DataException.class, () -> converter.toConnectData("t", magic));
    assertTrue(badMagic.getMessage().contains("magic byte 1"));
    DataException notJson = assertThrows(DataException.class, () -> converter.toConnectData("t", framed(7, "{x")));
    assertTrue(notJson.getMessage().contains("not valid JSON"));
  }

  @Test
  void refusesValuesThatDoNotFitTheSchema() {
    schemas.put(7, AGGREGATE_SCHEMA);
    String missing = "{\"sensorId\":\"s:1\",\"field\":\"co2Ppm\",\"windowStartMs\":1,\"mean\":1,\"final\":false}";
    DataException m = assertThrows(DataException.class, () -> converter.toConnectData("t", framed(7, missing)));
    assertTrue(m.getMessage().contains("$.count"), m.getMessage());
    String fraction =
        "{\"sensorId\":\"s:1\",\"field\":\"co2Ppm\",\"windowStartMs\":1.5,\"count\":1,\"mean\":1,\"final\":false}";
    DataException f = assertThrows(DataException.class, () -> converter.toConnectData("t", framed(7, fraction)));
    assertTrue(f.getMessage().contains("$.windowStartMs must be an integer"), f.getMessage());
    String text = "{\"sensorId\":\"s:1\",\"field\":\"co2Ppm\",\"windowStartMs\":1,\"count\":\"1\",\"mean\":1,\"final\":false}";
    assertThrows(DataException.class, () -> converter.toConnectData("t", framed(7, text)));
    String extra =
        "{\"sensorId\":\"s:1\",\"field\":\"co2Ppm\",\"windowStartMs\":1,\"count\":1,\"mean\":1,\"final\":false,\"x\":1}";
    DataException e = assertThrows(DataException.class, () -> converter.toConnectData("t", framed(7, extra)));
    assertTrue(e.getMessage().contains("unknown property $.x"), e.getMessage());
    String integral = "{\"sensorId\":\"s:1\",\"field\":\"co2Ppm\",\"windowStartMs\":2.0,\"count\":1,\"mean\":1,\"final\":false}";
    assertEquals(2L, ((Struct) converter.toConnectData("t", framed(7, integral)).value()).getInt64("windowStartMs"));
  }

  @Test
  void anUnknownSchemaIdIsBadDataAnUnreachableRegistryIsRetriable() {
    DataException unknown = assertThrows(DataException.class, () -> converter.toConnectData("t", framed(404, "{}")));
    assertTrue(unknown.getMessage().contains("schema id 404 not found"), unknown.getMessage());
    schemas.put(500, AGGREGATE_SCHEMA);
    assertThrows(RetriableException.class, () -> converter.toConnectData("t", framed(500, "{}")));
    server.stop(0);
    assertThrows(RetriableException.class, () -> converter.toConnectData("t", framed(8, "{}")));
  }

  @Test
  void refusesSchemasItCannotMapFaithfully() {
    schemas.put(11, "{\"type\":\"object\",\"properties\":{\"v\":{\"type\":[\"string\",\"number\"]}}}");
    DataException union = assertThrows(DataException.class, () -> converter.toConnectData("t", framed(11, "{}")));
    assertTrue(union.getMessage().contains("union of several types at $.v"), union.getMessage());
    schemas.put(12, "{\"type\":\"object\"}");
    assertThrows(DataException.class, () -> converter.toConnectData("t", framed(12, "{}")));
  }

  @Test
  void isReadOnlyAndNeedsAnHttpRegistryUrl() {
    assertThrows(DataException.class, () -> converter.fromConnectData("t", null, null));
    RegistryJsonSchemaConverter other = new RegistryJsonSchemaConverter();
    assertThrows(DataException.class, () -> other.configure(Map.of("schema.registry.url", "file:///etc"), false));
  }
}
