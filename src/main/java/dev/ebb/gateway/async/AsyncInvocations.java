package dev.ebb.gateway.async;

import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.api.v1alpha1.InferenceEndpointSpec;
import dev.ebb.config.GatewayConfig;
import dev.ebb.gateway.copies.CopyWatch;
import dev.ebb.gateway.errors.RuntimeError;
import dev.ebb.gateway.resolve.Resolution;
import dev.ebb.gateway.upstream.Answer;
import dev.ebb.local.ComponentKey;
import dev.ebb.sagemaker.AsyncObjects;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * InvokeEndpointAsync for backend local, as SageMaker serves it: the request names its input in S3
 * and is answered 202 at once with where its result will be; the gateway then reads the input,
 * invokes a copy (holding it while the component is at zero copies, which wakes it), writes the
 * answer to {@code spec.async.outputPath} (or the failure to {@code failurePath}) and tells the SNS
 * topics. Each component runs at most {@code maxConcurrentInvocationsPerInstance} per ready copy;
 * the rest wait in order.
 *
 * <p>The queue is in this process's memory: requests accepted but not yet finished are lost if the
 * operator restarts (SageMaker's own queue is durable). Clients that must not lose one use the
 * notifications or the request's TTL to resubmit.
 */
@ApplicationScoped
public class AsyncInvocations {
  private static final Logger LOG = Logger.getLogger(AsyncInvocations.class);

  /** SageMaker's limits and defaults for InvokeEndpointAsync. */
  static final Duration MAX_TTL = Duration.ofHours(6);

  static final Duration MIN_TTL = Duration.ofSeconds(60);
  static final Duration DEFAULT_INVOCATION_TIMEOUT = Duration.ofMinutes(15);
  static final Duration MAX_INVOCATION_TIMEOUT = Duration.ofHours(1);

  /**
   * InvokeEndpointAsync's request headers and what the model server gets them as (the content type
   * and accept travel as X-Amzn-SageMaker-* here, since the HTTP request itself has no body).
   */
  private static final Map<String, String> MODEL_HEADERS =
      Map.of(
          "X-Amzn-SageMaker-Content-Type", "Content-Type",
          "X-Amzn-SageMaker-Accept", "Accept",
          "X-Amzn-SageMaker-Custom-Attributes", "X-Amzn-SageMaker-Custom-Attributes",
          "X-Amzn-SageMaker-Inference-Id", "X-Amzn-SageMaker-Inference-Id");

  private final Vertx vertx;
  private final CopyCalls calls;
  private final CopyWatch copies;
  private final AsyncObjects objects;
  private final GatewayConfig config;
  private final Clock clock;
  private final Map<ComponentKey, Queue> queues = new ConcurrentHashMap<>();

  public AsyncInvocations(
      Vertx vertx,
      CopyCalls calls,
      CopyWatch copies,
      AsyncObjects objects,
      GatewayConfig config,
      Clock clock) {
    this.vertx = vertx;
    this.calls = calls;
    this.copies = copies;
    this.objects = objects;
    this.config = config;
    this.clock = clock;
  }

  /** One accepted request. */
  record Job(
      String inferenceId,
      String endpointName,
      Resolution.Local target,
      String input,
      String output,
      Optional<String> failure,
      Optional<InferenceEndpointSpec.Notification> notification,
      Map<String, String> headers,
      Instant received,
      Instant expires,
      Duration timeout,
      int concurrencyPerCopy) {}

  /** A component's waiting jobs and how many are running. */
  private static final class Queue {
    final ArrayDeque<Job> waiting = new ArrayDeque<>();
    int running;
  }

  /**
   * Each component's backlog: requests accepted and not yet finished, running or waiting (what
   * SageMaker's ApproximateBacklogSize counts).
   */
  public Map<ComponentKey, Integer> backlogs() {
    Map<ComponentKey, Integer> backlogs = new java.util.HashMap<>();
    queues.forEach(
        (component, queue) -> {
          synchronized (queue) {
            backlogs.put(component, queue.waiting.size() + queue.running);
          }
        });
    return backlogs;
  }

  /** Accepts (202) or refuses (400) a request for a local component. */
  public void accept(
      RoutingContext request, InferenceEndpoint endpoint, String name, Resolution.Local target) {
    InferenceEndpointSpec.Async async = endpoint.getSpec().async();
    if (async == null) {
      invalid(
          request, "Endpoint " + name + " is not an asynchronous endpoint (it has no spec.async).");
      return;
    }
    String input = request.request().getHeader("X-Amzn-SageMaker-InputLocation");
    if (input == null || !input.matches("^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/.+$")) {
      invalid(
          request, "X-Amzn-SageMaker-InputLocation must be an S3 object URI (s3://bucket/key).");
      return;
    }
    Optional<Duration> ttl =
        seconds(request, "X-Amzn-SageMaker-RequestTTLSeconds", MIN_TTL, MAX_TTL, MAX_TTL);
    Optional<Duration> timeout =
        seconds(
            request,
            "X-Amzn-SageMaker-InvocationTimeoutSeconds",
            Duration.ofSeconds(1),
            MAX_INVOCATION_TIMEOUT,
            DEFAULT_INVOCATION_TIMEOUT);
    if (ttl.isEmpty() || timeout.isEmpty()) {
      return;
    }
    String id =
        Optional.ofNullable(request.request().getHeader("X-Amzn-SageMaker-Inference-Id"))
            .filter(s -> !s.isBlank())
            .orElseGet(() -> UUID.randomUUID().toString());
    Instant now = clock.instant();
    Map<String, String> headers = new java.util.LinkedHashMap<>();
    MODEL_HEADERS.forEach(
        (from, to) ->
            Optional.ofNullable(request.request().getHeader(from))
                .ifPresent(v -> headers.put(to, v)));
    Job job =
        new Job(
            id,
            name,
            target,
            input,
            prefix(async.outputPath()) + id + ".out",
            Optional.ofNullable(async.failurePath()).map(p -> prefix(p) + id + "-error.out"),
            Optional.ofNullable(async.notification()),
            headers,
            now,
            now.plus(ttl.get()),
            timeout.get(),
            Optional.ofNullable(async.maxConcurrentInvocationsPerInstance())
                .orElse(config.asyncConcurrencyPerCopy()));
    JsonObject answer = new JsonObject().put("InferenceId", id).put("OutputLocation", job.output());
    job.failure().ifPresent(f -> answer.put("FailureLocation", f));
    var response =
        request
            .response()
            .setStatusCode(202)
            .putHeader("Content-Type", "application/json")
            .putHeader("X-Amzn-SageMaker-OutputLocation", job.output());
    job.failure().ifPresent(f -> response.putHeader("X-Amzn-SageMaker-FailureLocation", f));
    response.end(answer.toBuffer());
    enqueue(job);
  }

  private void enqueue(Job job) {
    Queue queue = queues.computeIfAbsent(job.target().component(), k -> new Queue());
    synchronized (queue) {
      queue.waiting.add(job);
    }
    pump(job.target().component(), queue);
  }

  /** Starts waiting jobs while the component has room: the per-copy limit, at least one. */
  private void pump(ComponentKey component, Queue queue) {
    while (true) {
      Job next;
      synchronized (queue) {
        int ready = Math.max(1, copies.readyCopies(component).size());
        Job head = queue.waiting.peek();
        if (head == null || queue.running >= head.concurrencyPerCopy() * ready) {
          return;
        }
        next = queue.waiting.poll();
        queue.running++;
      }
      run(next)
          .onComplete(
              done -> {
                synchronized (queue) {
                  queue.running--;
                }
                pump(component, queue);
              });
    }
  }

  private Future<Void> run(Job job) {
    Duration left = Duration.between(clock.instant(), job.expires());
    if (left.isNegative() || left.isZero()) {
      return failed(
          job,
          "The request expired (X-Amzn-SageMaker-RequestTTLSeconds) before a copy could take it.");
    }
    return calls
        .call(
            job.target(),
            job.headers(),
            () -> vertx.executeBlocking(() -> Buffer.buffer(objects.read(job.input())), false),
            left,
            job.timeout())
        .transform(
            done -> {
              if (done.failed()) {
                return failed(job, reason(done.cause()));
              }
              Answer answer = done.result();
              if (answer.status() / 100 != 2) {
                return failed(
                    job,
                    "Received client error ("
                        + answer.status()
                        + ") from the model with message \""
                        + answer.body()
                        + "\".");
              }
              String type =
                  Optional.ofNullable(answer.headers().get("Content-Type"))
                      .orElse("application/octet-stream");
              return vertx.executeBlocking(
                  () -> {
                    objects.write(job.output(), answer.body().getBytes(), type);
                    job.notification()
                        .map(InferenceEndpointSpec.Notification::successTopicArn)
                        .ifPresent(t -> objects.publish(t, event(job, null, type).encode()));
                    return null;
                  },
                  false);
            })
        .recover(
            e -> {
              // Writing the result or telling SNS failed: nothing is left to tell the client
              // through, so the operator's log is where it shows.
              LOG.errorf(
                  "Asynchronous invocation %s of %s in %s could not be completed: %s",
                  job.inferenceId(),
                  job.target().component().name(),
                  job.target().component().namespace(),
                  e.getMessage());
              return Future.succeededFuture();
            })
        .mapEmpty();
  }

  /** The failure written to the failure path (when set) and told to the error topic. */
  private Future<Void> failed(Job job, String reason) {
    return vertx.executeBlocking(
        () -> {
          job.failure().ifPresent(f -> objects.write(f, reason.getBytes(), "text/plain"));
          job.notification()
              .map(InferenceEndpointSpec.Notification::errorTopicArn)
              .ifPresent(t -> objects.publish(t, event(job, reason, null).encode()));
          return null;
        },
        false);
  }

  private static String reason(Throwable failure) {
    if (failure instanceof CopyCalls.NoCopyException) {
      return failure.getMessage();
    }
    if (failure instanceof dev.ebb.sagemaker.AwsCallException aws) {
      return "Reading the input failed: " + aws.getMessage();
    }
    return "The model server could not be reached: " + failure.getMessage();
  }

  /** The notification, shaped as SageMaker's (eventName InferenceResult). */
  private JsonObject event(Job job, String failureReason, String contentType) {
    JsonObject request =
        new JsonObject()
            .put("endpointName", job.endpointName())
            .put("inputLocation", job.input())
            .put("contentType", job.headers().get("Content-Type"))
            .put("customAttributes", job.headers().get("X-Amzn-SageMaker-Custom-Attributes"));
    JsonObject response = new JsonObject();
    if (failureReason == null) {
      response.put("outputLocation", job.output()).put("contentType", contentType);
    } else {
      job.failure().ifPresent(f -> response.put("failureLocation", f));
    }
    JsonObject event =
        new JsonObject()
            .put("eventVersion", "1.0")
            .put("eventSource", "aws:sagemaker")
            .put("eventName", "InferenceResult")
            .put("receivedTime", job.received().toString())
            .put("eventTime", clock.instant().toString())
            .put("inferenceId", job.inferenceId())
            .put("invocationStatus", failureReason == null ? "Completed" : "Failed")
            .put("requestParameters", request)
            .put("responseParameters", response);
    if (failureReason != null) {
      event.put("failureReason", failureReason);
    }
    return event;
  }

  private static String prefix(String s3Path) {
    return s3Path.endsWith("/") ? s3Path : s3Path + "/";
  }

  /** A whole-seconds header within [min, max], or its default; empty after answering 400. */
  private static Optional<Duration> seconds(
      RoutingContext request, String header, Duration min, Duration max, Duration fallback) {
    String value = request.request().getHeader(header);
    if (value == null) {
      return Optional.of(fallback);
    }
    try {
      Duration d = Duration.ofSeconds(Long.parseLong(value.trim()));
      if (d.compareTo(min) >= 0 && d.compareTo(max) <= 0) {
        return Optional.of(d);
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    invalid(
        request,
        header
            + " must be a whole number of seconds from "
            + min.toSeconds()
            + " to "
            + max.toSeconds()
            + ".");
    return Optional.empty();
  }

  private static void invalid(RoutingContext request, String message) {
    RuntimeError.validation(message).send(request.response());
  }
}
