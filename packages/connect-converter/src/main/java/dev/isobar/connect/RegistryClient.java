package dev.isobar.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;

/**
 * Reads schemas by id from a Confluent-compatible Schema Registry: {@code GET <url>/schemas/ids/<id>}. A schema id
 * the registry does not know (4xx) is a DataException (the record is bad); an unreachable registry or a 5xx is a
 * RetriableException (Connect retries within errors.retry.timeout).
 */
public final class RegistryClient {
  /** Registry answers larger than this are refused (a schema is a few KB). */
  static final int MAX_RESPONSE_BYTES = 1 << 20;

  private final String baseUrl;
  private final HttpClient http;
  private final Duration timeout;
  private final ObjectMapper json = new ObjectMapper();

  public RegistryClient(String baseUrl, Duration timeout) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** The schema document of a schema id (a JSON Schema, already parsed). */
  public JsonNode schemaById(int id) {
    URI uri = URI.create(baseUrl + "/schemas/ids/" + id);
    HttpResponse<byte[]> response;
    try {
      HttpRequest request =
          HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET().build();
      response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new RetriableException("schema registry " + baseUrl + " unreachable: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RetriableException("interrupted while fetching schema " + id, e);
    }
    int status = response.statusCode();
    if (status >= 500) throw new RetriableException("schema registry answered " + status + " for schema " + id);
    if (status != 200) throw new DataException("schema id " + id + " not found in the registry (HTTP " + status + ")");
    if (response.body().length > MAX_RESPONSE_BYTES) throw new DataException("schema " + id + " is too large");
    try {
      JsonNode body = json.readTree(response.body());
      JsonNode type = body.get("schemaType");
      if (type != null && !"JSON".equals(type.asText())) {
        throw new DataException("schema " + id + " is " + type.asText() + ", not JSON Schema");
      }
      JsonNode schema = body.get("schema");
      if (schema == null || !schema.isTextual()) throw new DataException("registry answer for " + id + " has no schema");
      return json.readTree(schema.textValue());
    } catch (IOException e) {
      throw new DataException("schema " + id + " is not valid JSON: " + e.getMessage(), e);
    }
  }
}
