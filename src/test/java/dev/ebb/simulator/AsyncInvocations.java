package dev.ebb.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * InvokeEndpointAsync: accepting a request, and later running it. A request is validated and queued
 * on its region ({@link RegionStore#asyncQueue}) and answered 202 at once; the work runs when the
 * simulator next observes the state (any call, or a test reading S3, SNS or a snapshot), like every
 * other transition here: lazily, under the one lock, with no background thread, so a test sees the
 * outcome deterministically. Running means: read the input object from the simulated S3, echo it as
 * the container does for InvokeEndpoint, write it to {@code <S3OutputPath>/<InferenceId>.out} and
 * notify the SuccessTopic; on failure write the reason to {@code
 * <S3FailurePath>/<InferenceId>-error.out} and notify the ErrorTopic. While no variant of the
 * endpoint has an instance (asynchronous endpoints may scale to zero) requests stay queued: that is
 * the endpoint's backlog without capacity, until instances arrive or the request's TTL runs out.
 */
final class AsyncInvocations {
  static final int DEFAULT_TTL_SECONDS = 6 * 60 * 60;

  /** One accepted request waiting to run, with what its endpoint's configuration said then. */
  record Queued(
      AsyncRequest request,
      String inferenceId,
      Instant received,
      Instant expires,
      String outputLocation,
      String failureLocation,
      String successTopic,
      String errorTopic) {}

  private final S3Store s3;
  private final SnsStore sns;

  AsyncInvocations(S3Store s3, SnsStore sns) {
    this.s3 = s3;
    this.sns = sns;
  }

  AsyncRequest.Accepted accept(Ctx ctx, AsyncRequest in) {
    StoredEndpoint e = RuntimeHandler.serving(ctx, in.endpointName());
    ObjectNode config = Json.child(e.config, "AsyncInferenceConfig");
    if (config == null) {
      throw AwsError.validationError(
          "Endpoint %s of account %s is not an asynchronous inference endpoint (its endpoint"
              + " configuration has no AsyncInferenceConfig). Use InvokeEndpoint.",
          e.name, ctx.account());
    }
    validate(in);
    ObjectNode output = Json.child(config, "OutputConfig");
    if (Json.text(output, "S3OutputPath") == null) {
      throw AwsError.validationError(
          "The simulator needs an S3OutputPath in the AsyncInferenceConfig of endpoint %s.",
          e.name);
    }
    int ttl = seconds(in.requestTtlSeconds(), DEFAULT_TTL_SECONDS);
    String id = in.inferenceId() != null ? in.inferenceId() : UUID.randomUUID().toString();
    ObjectNode notification = Json.child(output, "NotificationConfig");
    String failurePath = Json.text(output, "S3FailurePath");
    Queued queued =
        new Queued(
            in,
            id,
            ctx.now(),
            ctx.now().plus(Duration.ofSeconds(ttl)),
            S3Uri.join(Json.text(output, "S3OutputPath"), id + ".out"),
            failurePath == null ? null : S3Uri.join(failurePath, id + "-error.out"),
            Json.text(notification, "SuccessTopic"),
            Json.text(notification, "ErrorTopic"));
    ctx.region().asyncQueue.add(queued);
    return new AsyncRequest.Accepted(id, queued.outputLocation(), queued.failureLocation());
  }

  /**
   * Member constraints (InputLocation's pattern, the TTL's range...) are the model's (Contract);
   * the simulator itself reads inputs only from its S3.
   */
  private static void validate(AsyncRequest in) {
    if (S3Uri.parse(in.inputLocation()) == null) {
      throw AwsError.validationError(
          "The simulator reads an InputLocation only as s3://bucket/key, not %s.",
          in.inputLocation());
    }
  }

  private static int seconds(String text, int absent) {
    if (text == null) {
      return absent;
    }
    try {
      return Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      throw AwsError.validationError("Value %s is not a whole number of seconds.", text);
    }
  }

  /** Runs every queued request of {@code region} that can run at {@code now}. */
  void run(RegionStore region, Instant now) {
    for (Iterator<Queued> it = region.asyncQueue.iterator(); it.hasNext(); ) {
      Queued q = it.next();
      StoredEndpoint e = region.endpoints.get(Arns.key(q.request().endpointName()));
      if (e == null || e.status == StoredEndpoint.Status.DELETING) {
        fail(region, q, now, "The endpoint was deleted before the request was processed.");
      } else if (now.isAfter(q.expires())) {
        fail(region, q, now, "Request expired: it waited longer than its RequestTTLSeconds.");
      } else {
        if (withInstances(region, e).isEmpty()) {
          continue; // held until the endpoint has an instance
        }
        complete(region, q, now);
      }
      it.remove();
    }
  }

  private void complete(RegionStore region, Queued q, Instant now) {
    S3Uri input = S3Uri.parse(q.request().inputLocation());
    S3Store.StoredBucket inputBucket = s3.bucket(input.bucket());
    S3Store.StoredObject object = inputBucket == null ? null : inputBucket.objects.get(input.key());
    if (object == null) {
      fail(
          region,
          q,
          now,
          "ClientError: Could not download the input from "
              + input
              + ": the object does not exist.");
      return;
    }
    S3Uri output = S3Uri.parse(q.outputLocation());
    S3Store.StoredBucket outputBucket = s3.bucket(output.bucket());
    if (outputBucket == null) {
      fail(
          region,
          q,
          now,
          "ClientError: Could not upload the output to " + output + ": the bucket does not exist.");
      return;
    }
    // The simulated container echoes the payload with its content type, as for InvokeEndpoint.
    String type =
        q.request().contentType() == null ? "application/octet-stream" : q.request().contentType();
    outputBucket.objects.put(output.key(), stored(object.bytes(), type, now));
    ObjectNode message = notification(region, q, now, "Completed");
    ObjectNode response = Json.child(message, "responseParameters");
    response.put("contentType", type).put("outputLocation", q.outputLocation());
    notify(q.successTopic(), message, now);
  }

  private void fail(RegionStore region, Queued q, Instant now, String reason) {
    S3Uri failure = S3Uri.parse(q.failureLocation());
    if (failure != null && s3.bucket(failure.bucket()) != null) {
      byte[] text = reason.getBytes(StandardCharsets.UTF_8);
      s3.bucket(failure.bucket()).objects.put(failure.key(), stored(text, "text/plain", now));
    }
    ObjectNode message = notification(region, q, now, "Failed");
    message.put("failureReason", reason);
    if (q.failureLocation() != null) {
      Json.child(message, "responseParameters").put("failureLocation", q.failureLocation());
    }
    notify(q.errorTopic(), message, now);
  }

  /** The notification SageMaker publishes for an asynchronous inference result. */
  private static ObjectNode notification(RegionStore region, Queued q, Instant now, String status) {
    ObjectNode out = Json.object().put("awsRegion", region.name());
    out.put("eventTime", Xml.isoMillis(now)).put("receivedTime", Xml.isoMillis(q.received()));
    out.put("invocationStatus", status);
    ObjectNode request = out.putObject("requestParameters");
    request.put("endpointName", q.request().endpointName());
    request.put("inputLocation", q.request().inputLocation());
    putIfSet(request, "contentType", q.request().contentType());
    putIfSet(request, "accept", q.request().accept());
    putIfSet(request, "customAttributes", q.request().customAttributes());
    out.putObject("responseParameters");
    out.put("inferenceId", q.inferenceId());
    out.put("eventVersion", "1.0").put("eventSource", "aws:sagemaker");
    return out.put("eventName", "InferenceResult");
  }

  private static void putIfSet(ObjectNode node, String name, String value) {
    if (value != null) {
      node.put(name, value);
    }
  }

  /** Publishes to the topic if it exists; SageMaker's notifications to a missing topic are lost. */
  private void notify(String topicArn, ObjectNode message, Instant now) {
    SnsStore.Topic topic = sns.topic(topicArn);
    if (topic != null) {
      String text = new String(Json.bytes(message), StandardCharsets.UTF_8);
      SnsHandler.publish(topic, null, text, Map.of(), now);
    }
  }

  private static S3Store.StoredObject stored(byte[] bytes, String contentType, Instant now) {
    return new S3Store.StoredObject(
        bytes, contentType, null, S3Checksums.etag(bytes), now, Map.of(), null, null);
  }

  /** Variants that have an instance now; serverless variants always can serve. */
  static List<StoredVariant> withInstances(RegionStore region, StoredEndpoint e) {
    return e.variants.values().stream()
        .filter(v -> v.serverless() || Capacity.instances(region, e, v).current() > 0)
        .toList();
  }

  /** The requests queued for an endpoint (ApproximateBacklogSize). */
  static int backlog(RegionStore region, StoredEndpoint e) {
    return (int)
        region.asyncQueue.stream()
            .filter(q -> Arns.key(q.request().endpointName()).equals(Arns.key(e.name)))
            .count();
  }
}
