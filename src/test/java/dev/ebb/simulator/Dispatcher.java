package dev.ebb.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ebb.simulator.model.ModelViolations;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * The protocol-independent path of every call: take the lock, let due transitions happen (and
 * queued asynchronous invocations run), apply injected faults, run the operation, and record the
 * call. The HTTP front end and the fast tests both come through here, as do the S3 and SNS calls.
 */
final class Dispatcher {
  private static final String RUNTIME = "sagemaker-runtime";
  private final Object lock = new Object();
  private final Resources resources;
  private final Faults faults;
  private final Quotas quotas;
  private final CallLog log;
  private final Clock clock;
  private volatile Delays delays;
  private final String account;
  private final RuntimeHandler runtime;
  private final AsyncInvocations async;
  private final BatchTransform transforms;
  private final S3Handler s3;
  private final SnsHandler sns;
  private final Contract contract = new Contract();
  private final Autoscaling autoscaling;

  Dispatcher(
      Resources resources,
      Faults faults,
      Quotas quotas,
      CallLog log,
      Clock clock,
      Delays delays,
      String account,
      long seed) {
    this.resources = resources;
    this.faults = faults;
    this.quotas = quotas;
    this.log = log;
    this.clock = clock;
    this.delays = delays;
    this.account = account;
    this.runtime = new RuntimeHandler(seed);
    this.async = new AsyncInvocations(resources.s3, resources.sns);
    this.transforms = new BatchTransform(resources.s3, log, faults);
    this.s3 = new S3Handler(resources.s3);
    this.sns = new SnsHandler(resources.sns);
    this.autoscaling = new Autoscaling(account, delays, faults, quotas);
  }

  /** Turns on alarm evaluation, policies and scheduled actions ({@link Autoscaling}). */
  void autoscaling(boolean on) {
    autoscaling.enable(on);
  }

  /** Delays for transitions started from now on (a shared simulator's test may change them). */
  void delays(Delays delays) {
    synchronized (lock) {
      this.delays = delays;
      autoscaling.delays(delays);
    }
  }

  /** The model containers batch transform jobs invoke ({@link BatchTransform}). */
  BatchTransform transforms() {
    return transforms;
  }

  /** The violations of AWS's models seen so far (see {@link Contract}). */
  ModelViolations violations() {
    return contract.violations();
  }

  ObjectNode control(String region, String operation, ObjectNode request) {
    String service = Contract.controlService(operation);
    return serve(
        region,
        operation,
        request.deepCopy(),
        true,
        ctx -> {
          ControlPlane.Operation handler = ControlPlane.operation(operation);
          contract.request(service, operation, request);
          ObjectNode out = handler.handle(ctx, request);
          contract.response(service, operation, out);
          return out;
        });
  }

  Invocation.Reply invoke(String region, Invocation invocation) {
    return runtime(region, "InvokeEndpoint", invocation);
  }

  /** InvokeEndpointWithResponseStream: InvokeEndpoint's routing and checks; the wire streams it. */
  Invocation.Reply stream(String region, Invocation invocation) {
    return runtime(region, "InvokeEndpointWithResponseStream", invocation);
  }

  private Invocation.Reply runtime(String region, String operation, Invocation invocation) {
    return serve(
        region,
        operation,
        invocation.toJson(),
        false,
        ctx -> {
          contract.request(RUNTIME, operation, Contract.members(invocation));
          Invocation.Reply reply = runtime.invoke(ctx, invocation);
          boolean stream = !operation.equals("InvokeEndpoint");
          contract.response(RUNTIME, operation, Contract.members(reply, stream));
          return reply;
        });
  }

  AsyncRequest.Accepted invokeAsync(String region, AsyncRequest request) {
    return serve(
        region,
        "InvokeEndpointAsync",
        request.toJson(),
        false,
        ctx -> {
          contract.request(RUNTIME, "InvokeEndpointAsync", Contract.members(request));
          AsyncRequest.Accepted accepted = async.accept(ctx, request);
          contract.response(RUNTIME, "InvokeEndpointAsync", Contract.members(accepted));
          return accepted;
        });
  }

  /** An S3 call, logged as "s3:Operation". Faults apply by that name; throttling does not. */
  S3Reply s3(String region, S3Request request) {
    String operation = request.operation();
    return serve(
        region,
        "s3:" + operation,
        request.toJson(),
        false,
        ctx -> {
          contract.request(operation, request.modelMessage());
          S3Reply reply = s3.handle(ctx, request);
          contract.response(operation, reply);
          return reply;
        });
  }

  /** An SNS call (AWS Query), logged as "sns:Action". */
  ObjectNode sns(String region, String action, ObjectNode request) {
    return serve(
        region,
        "sns:" + action,
        request.deepCopy(),
        false,
        ctx -> {
          contract.request("sns", action, request);
          ObjectNode out = sns.handle(ctx, action, request);
          contract.response("sns", action, out);
          return out;
        });
  }

  /** Records a call refused before it could be read (unparseable body, unknown target). */
  void refused(String region, String operation, JsonNode request, AwsError error) {
    log.add(
        new Call(
            clock.instant(),
            region,
            operation,
            request,
            error.status(),
            error.code(),
            error.getMessage(),
            false));
  }

  /**
   * Runs {@code action} on the state (to read it, or for a test to seed S3 and SNS) with every
   * region brought up to the current time.
   */
  <T> T inspect(Function<Resources, T> action) {
    synchronized (lock) {
      catchUp(clock.instant());
      return action.apply(resources);
    }
  }

  /**
   * Applies every transition due by {@code now}, then runs the queued asynchronous invocations that
   * can run. Every region, not only the caller's: an S3 read in one region may be waiting for an
   * inference in another, and transitions take effect at their own due time whenever applied.
   */
  private void catchUp(Instant now) {
    for (RegionStore region : resources.all().values()) {
      autoscaling.advance(region, now);
      async.run(region, now);
      transforms.run(region, now);
    }
  }

  Instant now() {
    return clock.instant();
  }

  void reset(Runnable reset) {
    synchronized (lock) {
      reset.run();
    }
  }

  private <T> T serve(
      String region,
      String operation,
      JsonNode request,
      boolean controlPlane,
      Function<Ctx, T> handler) {
    synchronized (lock) {
      Instant now = clock.instant();
      RegionStore store = resources.region(region);
      catchUp(now);
      AwsError error = null;
      try {
        if (controlPlane) {
          ControlPlane.operation(operation); // an unknown operation is refused before any fault
        }
        Optional<AwsError> fault = faults.before(operation, controlPlane);
        if (fault.isPresent()) {
          throw fault.get();
        }
        return handler.apply(new Ctx(store, now, account, delays, faults, quotas));
      } catch (AwsError e) {
        error = e;
        throw e;
      } catch (RuntimeException e) {
        // A bug in the simulator: answer like a server fault, and leave a trace to fix it by.
        e.printStackTrace();
        error = AwsError.internal("The simulator failed: " + e);
        throw error;
      } finally {
        log.add(
            new Call(
                now,
                region,
                operation,
                request,
                error == null ? 200 : error.status(),
                error == null ? null : error.code(),
                error == null ? null : error.getMessage(),
                error != null && error.throttled()));
      }
    }
  }
}
