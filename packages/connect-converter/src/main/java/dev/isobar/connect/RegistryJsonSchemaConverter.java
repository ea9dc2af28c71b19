package dev.isobar.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.storage.Converter;

/**
 * Reads values in the Confluent Schema Registry wire format with JSON Schema — magic byte 0, the schema id as a
 * 4-byte big-endian int, then the JSON document — into Connect data: the schema is fetched from the registry once
 * per id ({@code GET /schemas/ids/<id>}, cached) and mapped by {@link JsonSchemaMapper}. Read-only: sinks only.
 *
 * <p>Config: {@code schema.registry.url} (required), {@code schema.registry.timeout.ms} (default 10000),
 * {@code schema.cache.size} (default 1000 ids).
 */
public final class RegistryJsonSchemaConverter implements Converter {
  public static final String REGISTRY_URL_CONFIG = "schema.registry.url";
  public static final String TIMEOUT_CONFIG = "schema.registry.timeout.ms";
  public static final String CACHE_SIZE_CONFIG = "schema.cache.size";
  static final byte MAGIC_BYTE = 0;
  static final int HEADER_BYTES = 5;

  static final ConfigDef CONFIG_DEF =
      new ConfigDef()
          .define(REGISTRY_URL_CONFIG, ConfigDef.Type.STRING, ConfigDef.NO_DEFAULT_VALUE, ConfigDef.Importance.HIGH,
              "Base URL of a Confluent-compatible Schema Registry, e.g. http://127.0.0.1:8081")
          .define(TIMEOUT_CONFIG, ConfigDef.Type.INT, 10_000, ConfigDef.Range.between(100, 300_000),
              ConfigDef.Importance.LOW, "Timeout of one registry request, ms")
          .define(CACHE_SIZE_CONFIG, ConfigDef.Type.INT, 1000, ConfigDef.Range.between(1, 1_000_000),
              ConfigDef.Importance.LOW, "Schema ids kept in memory");

  private record Mapped(Schema schema) {}

  private final ObjectMapper json = new ObjectMapper();
  private final Map<Integer, Mapped> cache = new ConcurrentHashMap<>();
  private RegistryClient registry;
  private int cacheSize;

  /** For tests: a converter on a given registry client. */
  RegistryJsonSchemaConverter(RegistryClient registry, int cacheSize) {
    this.registry = registry;
    this.cacheSize = cacheSize;
  }

  public RegistryJsonSchemaConverter() {}

  public ConfigDef config() {
    return CONFIG_DEF;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    AbstractConfig config = new AbstractConfig(CONFIG_DEF, configs);
    String url = config.getString(REGISTRY_URL_CONFIG);
    if (!url.startsWith("http://") && !url.startsWith("https://")) {
      throw new DataException(REGISTRY_URL_CONFIG + " must be an http(s) URL, got " + url);
    }
    registry = new RegistryClient(url, Duration.ofMillis(config.getInt(TIMEOUT_CONFIG)));
    cacheSize = config.getInt(CACHE_SIZE_CONFIG);
  }

  @Override
  public byte[] fromConnectData(String topic, Schema schema, Object value) {
    throw new DataException(getClass().getSimpleName() + " reads only (use it as a sink's converter)");
  }

  @Override
  public SchemaAndValue toConnectData(String topic, byte[] value) {
    if (value == null) return SchemaAndValue.NULL;
    if (value.length < HEADER_BYTES) {
      throw new DataException("record on " + topic + " is " + value.length + " bytes: too short for the wire format");
    }
    ByteBuffer buffer = ByteBuffer.wrap(value);
    byte magic = buffer.get();
    if (magic != MAGIC_BYTE) throw new DataException("record on " + topic + " has magic byte " + magic + ", not 0");
    int id = buffer.getInt();
    Mapped mapped = mapped(id);
    JsonNode document;
    try {
      document = json.readTree(value, HEADER_BYTES, value.length - HEADER_BYTES);
    } catch (IOException e) {
      throw new DataException("record on " + topic + " (schema " + id + ") is not valid JSON: " + e.getMessage(), e);
    }
    if (document == null) throw new DataException("record on " + topic + " (schema " + id + ") has no JSON");
    return new SchemaAndValue(mapped.schema(), JsonSchemaMapper.toConnectValue(mapped.schema(), document, "$"));
  }

  private Mapped mapped(int id) {
    Mapped cached = cache.get(id);
    if (cached != null) return cached;
    Mapped fresh = new Mapped(JsonSchemaMapper.toConnectSchema(registry.schemaById(id)));
    if (cache.size() >= cacheSize) cache.clear();
    cache.put(id, fresh);
    return fresh;
  }

  public void close() {
    cache.clear();
  }
}
