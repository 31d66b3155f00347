package dev.ebb.simulator;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * Everything that makes the simulator misbehave on purpose: random throttling (seeded, so a run is
 * reproducible), targeted error answers, resources whose creation or update fails asynchronously,
 * and eventual consistency right after a create.
 */
public final class Faults {
  private record ImageRule(Pattern image, String reason) {}

  private final long defaultSeed;
  private double throttleFraction;
  private Random random;
  private final List<FaultRule> rules = new ArrayList<>();
  private final Map<String, Deque<String>> nextCreateFailures = new HashMap<>();
  private final Map<String, String> namedCreateFailures = new HashMap<>();
  private final Map<String, Deque<String>> nextUpdateFailures = new HashMap<>();
  private final Deque<String> nextRollbackFailures = new ArrayDeque<>();
  private final List<ImageRule> imageRules = new ArrayList<>();
  private Duration staleWindow = Duration.ZERO;

  Faults(long seed) {
    this.defaultSeed = seed;
    this.random = new Random(seed);
  }

  /** Answers this fraction of control-plane calls with ThrottlingException (HTTP 400). */
  public synchronized Faults throttle(double fraction) {
    return throttle(fraction, defaultSeed);
  }

  public synchronized Faults throttle(double fraction, long seed) {
    this.throttleFraction = fraction;
    this.random = new Random(seed);
    return this;
  }

  public synchronized Faults inject(FaultRule rule) {
    rules.add(rule);
    return this;
  }

  /**
   * The next create through {@code operation} ("CreateEndpoint" or "CreateInferenceComponent") is
   * accepted, then fails: the resource ends in Failed with this FailureReason.
   */
  public synchronized Faults failNextCreate(String operation, String reason) {
    nextCreateFailures.computeIfAbsent(operation, k -> new ArrayDeque<>()).add(reason);
    return this;
  }

  /** Every create of this resource name through {@code operation} fails with {@code reason}. */
  public synchronized Faults failCreate(String operation, String resourceName, String reason) {
    namedCreateFailures.put(operation + "/" + Arns.key(resourceName), reason);
    return this;
  }

  /**
   * The next update through {@code operation} ("UpdateEndpoint", "UpdateInferenceComponent") is
   * accepted, then rolls back: the resource returns to InService with this FailureReason.
   */
  public synchronized Faults failNextUpdate(String operation, String reason) {
    nextUpdateFailures.computeIfAbsent(operation, k -> new ArrayDeque<>()).add(reason);
    return this;
  }

  /**
   * The next endpoint update that rolls back fails to roll back: the endpoint ends in
   * UpdateRollbackFailed ("Both the rolling deployment and auto-rollback failed"), with this
   * FailureReason.
   */
  public synchronized Faults failNextRollback(String reason) {
    nextRollbackFailures.add(reason);
    return this;
  }

  /**
   * Endpoints and inference components whose model image matches {@code imageRegex} fail to create
   * (or to update onto that image), like a container that never passes its ping check.
   */
  public synchronized Faults failImage(String imageRegex, String reason) {
    imageRules.add(new ImageRule(Pattern.compile(imageRegex), reason));
    return this;
  }

  /**
   * For this long after a model or endpoint configuration is created, the first create that
   * references it is told it does not exist, as SageMaker's eventually consistent reads can.
   */
  public synchronized Faults eventualConsistency(Duration window) {
    this.staleWindow = window;
    return this;
  }

  public synchronized void reset() {
    throttleFraction = 0;
    random = new Random(defaultSeed);
    rules.clear();
    nextCreateFailures.clear();
    namedCreateFailures.clear();
    nextUpdateFailures.clear();
    nextRollbackFailures.clear();
    imageRules.clear();
    staleWindow = Duration.ZERO;
  }

  /** The error to answer instead of serving the call, if any. */
  synchronized Optional<AwsError> before(String operation, boolean throttleable) {
    for (ListIterator<FaultRule> it = rules.listIterator(); it.hasNext(); ) {
      FaultRule rule = it.next();
      if (rule.matches(operation) && rule.times() != 0) {
        it.set(rule.used());
        boolean throttle = "ThrottlingException".equals(rule.code());
        return Optional.of(new AwsError(rule.status(), rule.code(), rule.message(), throttle));
      }
    }
    if (throttleable && throttleFraction > 0 && random.nextDouble() < throttleFraction) {
      return Optional.of(AwsError.throttling());
    }
    return Optional.empty();
  }

  synchronized Optional<String> createFailure(
      String operation, String name, Collection<String> images) {
    String named = namedCreateFailures.get(operation + "/" + Arns.key(name));
    if (named != null) {
      return Optional.of(named);
    }
    Deque<String> next = nextCreateFailures.get(operation);
    if (next != null && !next.isEmpty()) {
      return Optional.of(next.poll());
    }
    return imageFailure(images);
  }

  synchronized Optional<String> updateFailure(String operation, Collection<String> images) {
    Deque<String> next = nextUpdateFailures.get(operation);
    if (next != null && !next.isEmpty()) {
      return Optional.of(next.poll());
    }
    return imageFailure(images);
  }

  synchronized Optional<String> rollbackFailure() {
    return Optional.ofNullable(nextRollbackFailures.poll());
  }

  private Optional<String> imageFailure(Collection<String> images) {
    for (ImageRule rule : imageRules) {
      for (String image : images) {
        if (rule.image.matcher(image).find()) {
          return Optional.of(rule.reason);
        }
      }
    }
    return Optional.empty();
  }

  synchronized Duration staleWindow() {
    return staleWindow;
  }
}
