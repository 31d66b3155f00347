package dev.ebb.gateway.copies;

import dev.ebb.config.GatewayConfig;
import dev.ebb.gateway.meters.GatewayMeters;
import dev.ebb.local.ColdStarts;
import dev.ebb.local.ComponentKey;
import dev.ebb.local.ModelServerWorkload;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * The gateway's own readiness probes of starting copies, as Knative's activator does. Kubelet
 * probes {@code /ping} every 5–10 s, so a pod turns Ready up to a period after its model server
 * could answer; requests held at zero copies would wait that long for nothing. While requests are
 * held for a component, each of its starting copies ({@link CopyWatch#startingCopies}) is asked
 * {@code GET /ping} every {@code ebb.gateway.copy-probe-interval}, and the first success makes it
 * routable for this replica at once. A copy found this way is routable only: the policy engine and
 * the statuses keep reading the pod's Ready condition.
 */
@ApplicationScoped
class CopyProbes implements CopySource {
  private static final Logger LOG = Logger.getLogger(CopyProbes.class);

  /**
   * One probe's bound, below kubelet's own probe timeout (2 s): a server that takes longer to
   * answer {@code /ping} is not ready for traffic, and the next interval asks again.
   */
  static final Duration TIMEOUT = Duration.ofSeconds(1);

  private final Vertx vertx;
  private final CopyWatch watch;
  private final GatewayConfig config;
  private final GatewayMeters meters;
  private final Map<ComponentKey, ProbedCopies> probed = new ConcurrentHashMap<>();

  /** The components being probed now. */
  private final WhileHeld probing;

  private HttpClient http;
  private Predicate<ComponentKey> holding = k -> false;
  private Consumer<ComponentKey> onAnswered = k -> {};

  CopyProbes(Vertx vertx, CopyWatch watch, GatewayConfig config, GatewayMeters meters) {
    this.vertx = vertx;
    this.watch = watch;
    this.config = config;
    this.meters = meters;
    this.probing =
        new WhileHeld(vertx, config.copyProbeInterval(), k -> holding.test(k), k -> {}, this::tick);
  }

  /**
   * {@code holding} tells whether requests are held for a component (probing goes on while they
   * are); {@code onChange} hears that a starting copy of it answered and is now routable, and (from
   * the pod watch, started here) every other change of its copies.
   */
  @Override
  public void start(Predicate<ComponentKey> holding, Consumer<ComponentKey> onChange) {
    this.holding = holding;
    this.onAnswered = onChange;
    // Its own client: probes never wait behind invocations for a pooled connection, and without
    // keep-alive a server that hung on one probe does not hold the next one up.
    http =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setKeepAlive(false)
                .setConnectTimeout((int) TIMEOUT.toMillis())
                .setTcpNoDelay(true));
    watch.start(onChange);
  }

  @Override
  public int ready(ComponentKey component) {
    return watch.readyCopies(component).size();
  }

  /** Requests are held for {@code component}: probe its starting copies until none are. */
  @Override
  public void probeWhileHolding(ComponentKey component) {
    probed.computeIfAbsent(component, k -> new ProbedCopies());
    probing.start(component);
  }

  /**
   * Where {@code component}'s requests may go: its Ready copies, and the starting copies that
   * answered a probe (while they are still starting).
   */
  @Override
  public List<String> routable(ComponentKey component) {
    List<String> ready = watch.readyCopies(component);
    ProbedCopies copies = probed.get(component);
    return copies == null ? ready : copies.routable(ready, watch.startingCopies(component));
  }

  /** The component is gone: no more probes, nothing remembered. */
  @Override
  public void forget(ComponentKey component) {
    probing.stop(component);
    probed.remove(component);
  }

  private void tick(ComponentKey component) {
    ProbedCopies copies = probed.get(component);
    if (copies == null) {
      return; // forgotten
    }
    for (StartingCopy copy : copies.toProbe(watch.startingCopies(component))) {
      probe(component, copies, copy);
    }
  }

  private void probe(ComponentKey component, ProbedCopies copies, StartingCopy copy) {
    RequestOptions ping =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setHost(copy.address())
            .setPort(ModelServerWorkload.PORT)
            .setURI("/ping")
            .setConnectTimeout(TIMEOUT.toMillis())
            .setIdleTimeout(TIMEOUT.toMillis());
    http.request(ping)
        .compose(request -> request.send())
        .compose(response -> response.end().map(v -> response.statusCode()))
        .onComplete(
            done -> {
              // Success as kubelet's httpGet probe counts it, so the gateway never routes to a
              // copy kubelet would call unready.
              boolean ok = done.succeeded() && done.result() >= 200 && done.result() < 400;
              if (copies.probed(copy, ok)) {
                answered(component, copy);
              }
            });
  }

  private void answered(ComponentKey component, StartingCopy copy) {
    Duration sinceStart = Duration.between(copy.serverStarted(), Instant.now());
    // One key=value line per copy, under the component as the log format names objects.
    org.jboss.logging.MDC.put("resource.namespace", component.namespace());
    org.jboss.logging.MDC.put("resource.name", component.name());
    org.jboss.logging.MDC.put("resource.kind", "InferenceComponent");
    try {
      LOG.infof(
          ColdStarts.PING_ANSWERED + " pod=%s address=%s since_container_started_seconds=%.1f",
          copy.pod(),
          copy.address(),
          sinceStart.toMillis() / 1000.0);
    } finally {
      org.jboss.logging.MDC.remove("resource.namespace");
      org.jboss.logging.MDC.remove("resource.name");
      org.jboss.logging.MDC.remove("resource.kind");
    }
    meters.probedCopy(component, sinceStart);
    onAnswered.accept(component);
  }

  @PreDestroy
  void stop() {
    probing.stopAll();
    if (http != null) {
      http.close();
    }
  }
}
