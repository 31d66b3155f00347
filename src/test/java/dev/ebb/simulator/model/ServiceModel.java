package dev.ebb.simulator.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * One botocore {@code service-2.json}: its operations (input and output shape names) and shapes,
 * kept as the JSON botocore ships. Only what validation needs is interpreted.
 */
public final class ServiceModel {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final String service;
  private final String apiVersion;
  private final JsonNode root;

  ServiceModel(String service, JsonNode root) {
    this.service = service;
    this.root = root;
    this.apiVersion = root.path("metadata").path("apiVersion").asText();
  }

  /**
   * Loads {@code <data>/<service>/<newest api version>/service-2.json[.gz]}. botocore keeps older
   * API versions side by side; the newest is the one its clients use.
   */
  static ServiceModel load(String service, Path data) {
    Path dir = data.resolve(service);
    try (Stream<Path> versions = Files.list(dir)) {
      Path version =
          versions
              .filter(Files::isDirectory)
              .max(Comparator.comparing(p -> p.getFileName().toString()))
              .orElseThrow(() -> new IllegalStateException("No API version under " + dir));
      Path plain = version.resolve("service-2.json");
      Path gz = version.resolve("service-2.json.gz");
      boolean zipped = !Files.exists(plain);
      try (InputStream raw = Files.newInputStream(zipped ? gz : plain);
          InputStream in = zipped ? new GZIPInputStream(raw) : raw) {
        return new ServiceModel(service, MAPPER.readTree(in));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot read botocore's model of " + service + " in " + dir, e);
    }
  }

  public String service() {
    return service;
  }

  public String apiVersion() {
    return apiVersion;
  }

  public boolean hasOperation(String name) {
    return root.path("operations").has(name);
  }

  /** The operation's definition ({@code input}, {@code output}, {@code http}...), if modelled. */
  public Optional<JsonNode> operation(String name) {
    return Optional.ofNullable(root.path("operations").get(name));
  }

  /** The operation's input shape name, or null if it takes none. */
  public String inputShape(String operation) {
    return operation(operation).map(op -> op.path("input").path("shape").asText(null)).orElse(null);
  }

  /** The operation's output shape name, or null if it answers nothing. */
  public String outputShape(String operation) {
    return operation(operation)
        .map(op -> op.path("output").path("shape").asText(null))
        .orElse(null);
  }

  /** A shape by name; fails on a name the model does not define (a bug in the caller). */
  public JsonNode shape(String name) {
    JsonNode shape = root.path("shapes").get(name);
    if (shape == null) {
      throw new IllegalArgumentException(service + " has no shape " + name);
    }
    return shape;
  }

  /** Every shape (for tests that check every pattern compiles). */
  public Iterable<JsonNode> shapes() {
    return root.path("shapes");
  }
}
