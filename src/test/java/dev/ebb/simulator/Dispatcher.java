package dev.ebb.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * The protocol-independent path of every call: take the lock, let due transitions happen, apply
 * injected faults, run the operation, and record the call. The HTTP front end and the fast tests
 * both come through here.
 */
final class Dispatcher {
  private final Object lock = new Object();
  private final Resources resources;
  private final Faults faults;
  private final Quotas quotas;
  private final CallLog log;
  private final Clock clock;
  private final Delays delays;
  private final String account;
  private final RuntimeHandler runtime;

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
  }

  ObjectNode control(String region, String operation, ObjectNode request) {
    return serve(
        region,
        operation,
        request.deepCopy(),
        true,
        ctx -> ControlPlane.operation(operation).handle(ctx, request));
  }

  Invocation.Reply invoke(String region, Invocation invocation) {
    return serve(
        region,
        "InvokeEndpoint",
        invocation.toJson(),
        false,
        ctx -> runtime.invoke(ctx, invocation));
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

  /** Runs {@code read} on the state with every region brought up to the current time. */
  <T> T inspect(Function<Resources, T> read) {
    synchronized (lock) {
      Instant now = clock.instant();
      resources.all().values().forEach(region -> region.advance(now));
      return read.apply(resources);
    }
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
      store.advance(now);
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
