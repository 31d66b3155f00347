package dev.ebb.gateway.async;

import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.api.v1alpha1.InferenceEndpointSpec;
import dev.ebb.config.GatewayConfig;
import dev.ebb.gateway.copies.CopyWatch;
import dev.ebb.gateway.errors.RuntimeError;
import dev.ebb.gateway.resolve.Directory;
import dev.ebb.gateway.resolve.Resolution;
import dev.ebb.gateway.upstream.Answer;
import dev.ebb.local.ComponentKey;
import dev.ebb.local.Leadership;
import dev.ebb.sagemaker.AsyncObjects;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * InvokeEndpointAsync for backend local, as SageMaker serves it: the request names its input in S3
 * and is answered 202 at once with where its result will be; the gateway then reads the input,
 * invokes a copy (holding it while the component is at zero copies, which wakes it), writes the
 * answer to {@code spec.async.outputPath} (or the failure to {@code failurePath}) and tells the SNS
 * topics. Each component runs at most {@code maxConcurrentInvocationsPerInstance} per ready copy;
 * the rest wait in order.
 *
 * <p>Accepted work survives, as in SageMaker's durable queue: each request is recorded in S3
 * ({@link InvocationRecords}) before it is answered 202, and its record is deleted once its output
 * or failure is written. <b>Only the leader runs invocations</b> (the replica holding the
 * leader-election Lease, {@link Leadership}): a replica that is not the leader records the request
 * and tells its peers, and the leader lists the records (at once when told, else every {@code
 * ebb.gateway.async-scan-interval}) and runs those it does not run yet. A new leader, after a
 * restart or a leader change, lists them all and resumes them. One runner at a time is the Lease's
 * guarantee (a replica that loses it exits), so no ownership or claims are kept per record.
 *
 * <p>Exactly once, with one window: a leader that dies after writing an output and before deleting
 * its record leaves a finished invocation recorded. Before running a record it did not accept
 * itself, the leader looks for an output or failure written since the request was received; if
 * there is one it only deletes the record (the SNS notification may then be missing). A leader that
 * dies while the model server runs an invocation leaves it recorded without output, so the next
 * leader invokes the model again: the output, named by the InferenceId, is written once. Expired
 * records (the request's TTL) take the failure path, as in SageMaker.
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
  private final InvocationRecords records;
  private final Leadership leadership;
  private final Directory directory;
  private final Event<AsyncRecorded> recorded;
  private final Map<ComponentKey, Queue> queues = new ConcurrentHashMap<>();

  /** The records of the jobs this replica has queued or runs. */
  private final Set<String> running = ConcurrentHashMap.newKeySet();

  /**
   * Records this replica finished lately: a scan that read one before its deletion must not run it
   * again (its output may not say so: a failure without a failure path), while a new request
   * reusing the InferenceId (a new received time) must run.
   */
  private final Map<String, Finished> finished = new ConcurrentHashMap<>();

  private record Finished(Instant received, Instant at) {}

  private static final Finished NONE = new Finished(Instant.MIN, Instant.MIN);

  /** Output paths whose records could not be listed, warned about once until they can. */
  private final Set<String> unlisted = ConcurrentHashMap.newKeySet();

  private final AtomicBoolean scanning = new AtomicBoolean();
  private final AtomicBoolean scanAgain = new AtomicBoolean();
  private volatile long scanner = -1;

  public AsyncInvocations(
      Vertx vertx,
      CopyCalls calls,
      CopyWatch copies,
      AsyncObjects objects,
      InvocationRecords records,
      Leadership leadership,
      Directory directory,
      Event<AsyncRecorded> recorded,
      GatewayConfig config,
      Clock clock) {
    this.vertx = vertx;
    this.calls = calls;
    this.copies = copies;
    this.objects = objects;
    this.records = records;
    this.leadership = leadership;
    this.directory = directory;
    this.recorded = recorded;
    this.config = config;
    this.clock = clock;
  }

  /** Once this replica leads: resume what is recorded, and keep looking for what others record. */
  void start(@Observes StartupEvent startup) {
    leadership.whenLeading(
        () ->
            vertx.runOnContext(
                v -> {
                  scanner =
                      vertx.setPeriodic(0, config.asyncScanInterval().toMillis(), id -> scan());
                }));
  }

  /**
   * Another replica recorded an invocation: the leader runs it now rather than at its next scan.
   */
  void recordedElsewhere(@Observes AsyncRecorded event) {
    if (!event.here() && leadership.leading()) {
      vertx.runOnContext(v -> scan());
    }
  }

  @PreDestroy
  void stop() {
    if (scanner >= 0) {
      vertx.cancelTimer(scanner);
    }
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
      int concurrencyPerCopy,
      String record) {}

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
            // Named by the InferenceId, or its hash when it is not safe in an S3 URI (SageMaker
            // admits spaces, quotes and braces in it), as the record is.
            prefix(async.outputPath()) + InvocationRecords.fileName(id) + ".out",
            Optional.ofNullable(async.failurePath())
                .map(p -> prefix(p) + InvocationRecords.fileName(id) + "-error.out"),
            Optional.ofNullable(async.notification()),
            headers,
            now,
            now.plus(ttl.get()),
            timeout.get(),
            Optional.ofNullable(async.maxConcurrentInvocationsPerInstance())
                .orElse(config.asyncConcurrencyPerCopy()),
            InvocationRecords.location(async.outputPath(), id));
    // Taken before the record exists, so that a scan listing it meanwhile leaves it to this path.
    boolean runHere = leadership.leading() && running.add(job.record());
    vertx
        .executeBlocking(
            () -> {
              records.save(job);
              return null;
            },
            false)
        .onComplete(
            saved -> {
              if (saved.failed()) {
                if (runHere) {
                  running.remove(job.record());
                }
                LOG.errorf(
                    "Asynchronous invocation %s of %s could not be recorded at %s: %s",
                    id, name, job.record(), saved.cause().getMessage());
                RuntimeError.notRecorded(saved.cause()).send(request.response());
                return;
              }
              accepted(request, job, runHere);
            });
  }

  /** The request is recorded: answer 202, and run it here if this replica leads. */
  private void accepted(RoutingContext request, Job job, boolean runHere) {
    JsonObject answer =
        new JsonObject().put("InferenceId", job.inferenceId()).put("OutputLocation", job.output());
    job.failure().ifPresent(f -> answer.put("FailureLocation", f));
    var response =
        request
            .response()
            .setStatusCode(202)
            .putHeader("Content-Type", "application/json")
            .putHeader("X-Amzn-SageMaker-OutputLocation", job.output());
    job.failure().ifPresent(f -> response.putHeader("X-Amzn-SageMaker-FailureLocation", f));
    response.end(answer.toBuffer());
    if (runHere) {
      enqueue(job);
    } else if (!leadership.leading()) {
      recorded.fire(new AsyncRecorded(true));
    }
  }

  /**
   * Lists the records under every local asynchronous endpoint's output path and queues those this
   * replica does not run yet (the leader only; one scan at a time, another after it if asked for
   * meanwhile). A record whose output is already written is only deleted.
   */
  void scan() {
    if (!leadership.leading()) {
      return;
    }
    if (!scanning.compareAndSet(false, true)) {
      scanAgain.set(true);
      return;
    }
    Instant forgetBefore = clock.instant().minus(Duration.ofMinutes(10));
    finished.values().removeIf(f -> f.at().isBefore(forgetBefore));
    Set<String> outputPaths = directory.localAsyncOutputPaths();
    vertx
        .executeBlocking(() -> found(outputPaths), false)
        .onComplete(
            jobs -> {
              if (jobs.succeeded()) {
                jobs.result().forEach(this::enqueue);
              }
              scanning.set(false);
              if (scanAgain.getAndSet(false)) {
                scan();
              }
            });
  }

  /** The recorded jobs to run (blocking); those recorded as running are taken here. */
  private java.util.List<Job> found(Set<String> outputPaths) {
    java.util.List<Job> jobs = new java.util.ArrayList<>();
    for (String outputPath : outputPaths) {
      java.util.List<String> listed;
      try {
        listed = records.list(outputPath);
        if (unlisted.remove(outputPath)) {
          LOG.infof("asynchronous invocations under %s can be listed again", outputPath);
        }
      } catch (RuntimeException e) {
        if (unlisted.add(outputPath)) {
          LOG.warnf(
              "cannot list the asynchronous invocations recorded under %s (they wait): %s",
              outputPath, e.getMessage());
        }
        continue;
      }
      for (String location : listed) {
        if (running.contains(location)) {
          continue;
        }
        try {
          Optional<Job> job = records.read(location);
          if (job.isEmpty()
              || job.get().received().equals(finished.getOrDefault(location, NONE).received())) {
            continue; // finished here since it was listed
          }
          if (records.finished(job.get())) {
            LOG.infof(
                "asynchronous invocation %s had finished: deleting its record",
                job.get().inferenceId());
            records.delete(job.get());
            continue;
          }
          if (running.add(location)) {
            LOG.infof(
                "taking asynchronous invocation %s of %s, recorded at %s (by another replica or"
                    + " before a restart)",
                job.get().inferenceId(), job.get().endpointName(), location);
            jobs.add(job.get());
          }
        } catch (RuntimeException e) {
          LOG.warnf(
              "cannot resume the asynchronous invocation at %s: %s", location, e.getMessage());
        }
      }
    }
    return jobs;
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
    return attempt(job)
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
        .compose(done -> forget(job));
  }

  private Future<Void> attempt(Job job) {
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
            });
  }

  /**
   * The job is over (answered, failed or impossible to finish): its record goes, so it never runs
   * again. A record that cannot be deleted is run again by a later leader, which then finds its
   * output and only deletes it.
   */
  private Future<Void> forget(Job job) {
    finished.put(job.record(), new Finished(job.received(), clock.instant()));
    return vertx
        .executeBlocking(
            () -> {
              records.delete(job);
              return null;
            },
            false)
        .recover(
            e -> {
              LOG.warnf(
                  "the record of asynchronous invocation %s (%s) could not be deleted: %s",
                  job.inferenceId(), job.record(), e.getMessage());
              return Future.succeededFuture();
            })
        .onComplete(v -> running.remove(job.record()))
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
