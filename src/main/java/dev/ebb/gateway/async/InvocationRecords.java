package dev.ebb.gateway.async;

import dev.ebb.api.v1alpha1.InferenceEndpointSpec;
import dev.ebb.gateway.resolve.Resolution;
import dev.ebb.local.ComponentKey;
import dev.ebb.sagemaker.AsyncObjects;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Accepted asynchronous invocations kept in S3, so that they outlive the replica that accepted
 * them: one JSON object per invocation, {@code
 * <spec.async.outputPath>/ebb-pending/<InferenceId>.json}, written before the request is answered
 * 202 and deleted once its output (or failure) is written.
 *
 * <p>Under the output path rather than beside the input: inputs can be anywhere, in any bucket,
 * while the output path is named by the endpoint, so the leader can find every record by listing
 * one prefix per asynchronous endpoint; and Ebb writes there already (no new bucket, grant or
 * store). A record holds what running the invocation needs without the request: the component and
 * its hold settings, the input, output and failure locations, the SNS topics, the headers the model
 * server gets, when it was received and when its TTL runs out.
 */
@ApplicationScoped
public class InvocationRecords {
  /** The folder under an output path that holds the records. */
  static final String FOLDER = "ebb-pending/";

  private final AsyncObjects objects;

  public InvocationRecords(AsyncObjects objects) {
    this.objects = objects;
  }

  /** The record of invocation {@code inferenceId} on an endpoint writing to {@code outputPath}. */
  static String location(String outputPath, String inferenceId) {
    return folder(outputPath) + fileName(inferenceId) + ".json";
  }

  /**
   * The InferenceId itself when it is safe in a URI and an S3 key; else (SageMaker allows any
   * printable characters, spaces and quotes included) {@code sha256-} and its hash, so that such a
   * request can still be recorded.
   */
  static String fileName(String inferenceId) {
    if (inferenceId.matches("[A-Za-z0-9._-]+") && !inferenceId.startsWith("sha256-")) {
      return inferenceId;
    }
    try {
      byte[] hash =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(inferenceId.getBytes(StandardCharsets.UTF_8));
      return "sha256-" + java.util.HexFormat.of().formatHex(hash);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e); // every JVM has SHA-256
    }
  }

  static String folder(String outputPath) {
    return (outputPath.endsWith("/") ? outputPath : outputPath + "/") + FOLDER;
  }

  /** Writes the job's record (blocking). */
  void save(AsyncInvocations.Job job) {
    objects.write(
        job.record(), toJson(job).encode().getBytes(StandardCharsets.UTF_8), "application/json");
  }

  /** The records under {@code outputPath}, as S3 URIs (blocking; every page). */
  List<String> list(String outputPath) {
    return objects.list(folder(outputPath)).stream().filter(u -> u.endsWith(".json")).toList();
  }

  /** The job recorded at {@code location}, or empty when the record is gone (blocking). */
  Optional<AsyncInvocations.Job> read(String location) {
    byte[] bytes;
    try {
      bytes = objects.read(location);
    } catch (dev.ebb.sagemaker.AwsCallException e) {
      if (objects.lastModified(location).isEmpty()) {
        return Optional.empty(); // finished and deleted since it was listed
      }
      throw e;
    }
    return Optional.of(
        fromJson(location, new JsonObject(new String(bytes, StandardCharsets.UTF_8))));
  }

  /** Removes the job's record (blocking): it will not run again. */
  void delete(AsyncInvocations.Job job) {
    objects.delete(job.record());
  }

  /**
   * Whether the job's output or failure was written after it was received: it finished, and only
   * the removal of its record did not happen (the replica died in between).
   */
  boolean finished(AsyncInvocations.Job job) {
    // S3 keeps whole seconds.
    Instant since = job.received().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    if (objects.lastModified(job.output()).filter(t -> !t.isBefore(since)).isPresent()) {
      return true;
    }
    return job.failure().flatMap(objects::lastModified).filter(t -> !t.isBefore(since)).isPresent();
  }

  static JsonObject toJson(AsyncInvocations.Job job) {
    Resolution.Local target = job.target();
    JsonObject json =
        new JsonObject()
            .put("version", 1)
            .put("inferenceId", job.inferenceId())
            .put("endpointName", job.endpointName())
            .put(
                "component",
                new JsonObject()
                    .put("namespace", target.component().namespace())
                    .put("name", target.component().name())
                    .put("variant", target.variant())
                    .put("maxQueuedRequests", target.maxQueuedRequests())
                    .put("coldStartTimeoutMillis", target.coldStartTimeout().toMillis()))
            .put("input", job.input())
            .put("output", job.output())
            .put("failure", job.failure().orElse(null))
            .put("headers", new JsonObject(new LinkedHashMap<>(job.headers())))
            .put("received", job.received().toString())
            .put("expires", job.expires().toString())
            .put("timeoutMillis", job.timeout().toMillis())
            .put("concurrencyPerCopy", job.concurrencyPerCopy());
    job.notification()
        .ifPresent(
            n ->
                json.put(
                    "notification",
                    new JsonObject()
                        .put("successTopicArn", n.successTopicArn())
                        .put("errorTopicArn", n.errorTopicArn())));
    return json;
  }

  static AsyncInvocations.Job fromJson(String location, JsonObject json) {
    JsonObject c = json.getJsonObject("component");
    Map<String, String> headers = new LinkedHashMap<>();
    json.getJsonObject("headers", new JsonObject())
        .forEach(e -> headers.put(e.getKey(), String.valueOf(e.getValue())));
    JsonObject n = json.getJsonObject("notification");
    return new AsyncInvocations.Job(
        json.getString("inferenceId"),
        json.getString("endpointName"),
        new Resolution.Local(
            new ComponentKey(c.getString("namespace"), c.getString("name")),
            c.getString("variant"),
            c.getInteger("maxQueuedRequests"),
            Duration.ofMillis(c.getLong("coldStartTimeoutMillis"))),
        json.getString("input"),
        json.getString("output"),
        Optional.ofNullable(json.getString("failure")),
        Optional.ofNullable(n)
            .map(
                x ->
                    new InferenceEndpointSpec.Notification(
                        x.getString("successTopicArn"), x.getString("errorTopicArn"))),
        headers,
        Instant.parse(json.getString("received")),
        Instant.parse(json.getString("expires")),
        Duration.ofMillis(json.getLong("timeoutMillis")),
        json.getInteger("concurrencyPerCopy"),
        location);
  }
}
