package dev.ebb.gateway.peers;

import dev.ebb.config.ClusterConfig;
import dev.ebb.config.PrunedItemStore;
import dev.ebb.gateway.async.AsyncRecorded;
import dev.ebb.gateway.copies.CopyWatch;
import dev.ebb.gateway.copies.HeldDemand;
import dev.ebb.local.ComponentKey;
import dev.ebb.local.LocalMetrics;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway replicas tell each other what they see, so that the one running the autoscaling loop
 * decides on the sum, as KEDA's HTTP add-on sums its interceptors' queues:
 *
 * <ul>
 *   <li>a replica that starts holding requests for a component pushes that demand to every peer at
 *       once ({@code POST /ebb/internal/v1/demand}), so a component at zero copies wakes no matter
 *       which replica the request reached;
 *   <li>a replica that records an asynchronous invocation tells every peer ({@code POST
 *       /ebb/internal/v1/async-recorded}), so the leader, which runs them, lists the records now;
 *   <li>every {@code ebb.cluster.poll-interval} each replica fetches every peer's per-second
 *       metrics, held requests and last request ({@code GET /ebb/internal/v1/metrics}), re-based
 *       onto its own clock.
 * </ul>
 *
 * Replicas that are not the leader track no policy, so what they gather goes unread, until one of
 * them becomes the leader: it has been fetching every peer's held requests all along, so requests
 * held by any replica across a leader change wake their component through the new leader within one
 * poll, with nothing re-sent. The peer API requires {@code X-Ebb-Peer-Token}; without a token
 * configured it is not served at all.
 */
@ApplicationScoped
public class Peers {
  static final String PREFIX = "/ebb/internal/v1";
  static final String TOKEN_HEADER = "X-Ebb-Peer-Token";

  /** The first fetch from a peer reaches back this far: the longest window the engine reads. */
  static final Duration FIRST_FETCH = Duration.ofMinutes(20);

  private final Vertx vertx;
  private final LocalMetrics metrics;
  private final ClusterConfig config;
  private final KubernetesClient client;
  private final Clock clock;
  private final Event<AsyncRecorded> recordedByPeer;
  private final String self = UUID.randomUUID().toString();
  private final Map<String, Long> cursors = new ConcurrentHashMap<>();
  private final Map<ComponentKey, Boolean> holding = new ConcurrentHashMap<>();
  private HttpClient http;
  private SharedIndexInformer<Pod> pods;
  private long poller = -1;

  public Peers(
      Vertx vertx,
      LocalMetrics metrics,
      ClusterConfig config,
      KubernetesClient client,
      Clock clock,
      Event<AsyncRecorded> recordedByPeer) {
    this.vertx = vertx;
    this.recordedByPeer = recordedByPeer;
    this.metrics = metrics;
    this.config = config;
    this.client = client;
    this.clock = clock;
  }

  void routes(@Observes Router router) {
    if (config.peerToken().isEmpty()) {
      return;
    }
    router.get(PREFIX + "/metrics").handler(this::serveMetrics);
    router
        .post(PREFIX + "/demand")
        .handler(BodyHandler.create(false).setBodyLimit(64 * 1024))
        .handler(this::receiveDemand);
    router.post(PREFIX + "/async-recorded").handler(this::receiveAsyncRecorded);
  }

  void start(@Observes StartupEvent startup) {
    if (config.peerToken().isEmpty()) {
      return;
    }
    http =
        vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(1_000));
    config
        .peerSelector()
        .ifPresent(
            selector -> {
              String namespace =
                  config
                      .namespace()
                      .orElseThrow(
                          () ->
                              new IllegalStateException(
                                  "ebb.cluster.peer-selector needs ebb.cluster.namespace"));
              pods =
                  client
                      .pods()
                      .inNamespace(namespace)
                      .withLabelSelector(selector)
                      .runnableInformer(0)
                      .itemStore(new PrunedItemStore<>());
              pods.run();
            });
    poller = vertx.setPeriodic(config.pollInterval().toMillis(), id -> poll());
  }

  /** The peers' base URLs: the configured ones and the ready pods of the selector but this one. */
  List<String> peers() {
    List<String> peers = new ArrayList<>(config.peers().orElse(List.of()));
    if (pods != null) {
      for (Pod pod : pods.getStore().list()) {
        String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
        if (ip != null
            && !ip.isEmpty()
            && !ip.equals(config.podIp().orElse(""))
            && CopyWatch.ready(pod)) {
          peers.add("http://" + ip + ":" + config.peerPort());
        }
      }
    }
    return peers;
  }

  /**
   * The gateway's held requests for {@code component} changed to {@code held}: the first held
   * request is pushed to every peer at once (later changes travel with the polled metrics).
   */
  void demandChanged(@Observes HeldDemand demand) {
    ComponentKey component = demand.component();
    int held = demand.held();
    if (http == null) {
      return;
    }
    boolean was = Boolean.TRUE.equals(holding.put(component, held > 0));
    if (held <= 0 || was) {
      return;
    }
    Buffer body =
        new JsonObject()
            .put("replica", self)
            .put("namespace", component.namespace())
            .put("name", component.name())
            .put("held", held)
            .toBuffer();
    for (String peer : peers()) {
      http.request(options(HttpMethod.POST, peer + PREFIX + "/demand"))
          .compose(r -> r.send(body))
          .compose(r -> r.body());
      // Fire and forget: a peer that misses the push sees the demand in the next poll.
    }
  }

  /**
   * This replica recorded an asynchronous invocation that the leader runs: every peer is told, so
   * the leader lists the records now (fire and forget: else it finds it at its next scan).
   */
  void asyncRecorded(@Observes AsyncRecorded event) {
    if (http == null || !event.here()) {
      return;
    }
    for (String peer : peers()) {
      http.request(options(HttpMethod.POST, peer + PREFIX + "/async-recorded"))
          .compose(r -> r.send())
          .compose(r -> r.body());
    }
  }

  private void receiveAsyncRecorded(RoutingContext request) {
    if (!authorized(request)) {
      return;
    }
    recordedByPeer.fire(new AsyncRecorded(false));
    request.response().setStatusCode(204).end();
  }

  private void poll() {
    for (String peer : peers()) {
      long since = cursors.getOrDefault(peer, clock.instant().minus(FIRST_FETCH).getEpochSecond());
      http.request(options(HttpMethod.GET, peer + PREFIX + "/metrics?since=" + since))
          .compose(
              r ->
                  r.send()
                      .compose(
                          answer -> answer.body().map(b -> answer.statusCode() == 200 ? b : null)))
          .onSuccess(
              body -> {
                if (body != null) {
                  merge(peer, body.toJsonObject());
                }
              });
    }
  }

  /** A peer's report, with its seconds and instants moved onto this replica's clock. */
  private void merge(String peer, JsonObject report) {
    String replica = report.getString("replica");
    if (self.equals(replica)) {
      return;
    }
    long now = clock.millis();
    long skewMillis = now - report.getLong("now");
    long skewSeconds = Math.round(skewMillis / 1000.0);
    // Seconds a peer has not finished sampling are fetched again next time.
    cursors.put(peer, report.getLong("now") / 1000 - 3);
    for (Object item : report.getJsonArray("components", new JsonArray())) {
      JsonObject c = (JsonObject) item;
      Map<String, Map<Long, Double>> values = new HashMap<>();
      JsonObject series = c.getJsonObject("series", new JsonObject());
      for (String metric : series.fieldNames()) {
        Map<Long, Double> seconds = new HashMap<>();
        series
            .getJsonObject(metric)
            .forEach(
                e ->
                    seconds.put(
                        Long.parseLong(e.getKey()) + skewSeconds,
                        ((Number) e.getValue()).doubleValue()));
        values.put(metric, seconds);
      }
      metrics
          .of(new ComponentKey(c.getString("namespace"), c.getString("name")))
          .merge(
              replica,
              values,
              c.getInteger("held", 0),
              instant(c.getLong("heldSince"), skewMillis),
              instant(c.getLong("lastRequest"), skewMillis));
    }
  }

  private void serveMetrics(RoutingContext request) {
    if (!authorized(request)) {
      return;
    }
    long since;
    try {
      since = Long.parseLong(Optional.ofNullable(request.queryParams().get("since")).orElse("0"));
    } catch (NumberFormatException e) {
      request.response().setStatusCode(400).end("since must be an epoch second");
      return;
    }
    JsonArray components = new JsonArray();
    metrics
        .all()
        .forEach(
            (key, m) -> {
              JsonObject series = new JsonObject();
              m.ownValuesSince(since)
                  .forEach(
                      (metric, seconds) -> {
                        JsonObject values = new JsonObject();
                        seconds.forEach((second, v) -> values.put(String.valueOf(second), v));
                        series.put(metric, values);
                      });
              components.add(
                  new JsonObject()
                      .put("namespace", key.namespace())
                      .put("name", key.name())
                      .put("held", m.ownHeld())
                      .put("heldSince", m.ownHeldSince().map(Instant::toEpochMilli).orElse(null))
                      .put(
                          "lastRequest", m.ownLastRequest().map(Instant::toEpochMilli).orElse(null))
                      .put("series", series));
            });
    request
        .response()
        .putHeader("Content-Type", "application/json")
        .end(
            new JsonObject()
                .put("replica", self)
                .put("now", clock.millis())
                .put("components", components)
                .toBuffer());
  }

  private void receiveDemand(RoutingContext request) {
    if (!authorized(request)) {
      return;
    }
    JsonObject demand = request.body().asJsonObject();
    String replica = demand == null ? null : demand.getString("replica");
    if (replica == null
        || demand.getString("namespace") == null
        || demand.getString("name") == null) {
      request.response().setStatusCode(400).end("replica, namespace and name are required");
      return;
    }
    if (!self.equals(replica)) {
      metrics.remoteHolding(
          replica,
          new ComponentKey(demand.getString("namespace"), demand.getString("name")),
          demand.getInteger("held", 1));
    }
    request.response().setStatusCode(204).end();
  }

  private boolean authorized(RoutingContext request) {
    String presented = request.request().getHeader(TOKEN_HEADER);
    boolean ok =
        presented != null
            && MessageDigest.isEqual(
                presented.getBytes(StandardCharsets.UTF_8),
                config.peerToken().orElseThrow().getBytes(StandardCharsets.UTF_8));
    if (!ok) {
      request.response().setStatusCode(403).end();
    }
    return ok;
  }

  private RequestOptions options(HttpMethod method, String url) {
    return new RequestOptions()
        .setMethod(method)
        .setAbsoluteURI(url)
        .setTimeout(2_000)
        .putHeader(TOKEN_HEADER, config.peerToken().orElseThrow())
        .putHeader("Content-Type", "application/json");
  }

  private static Optional<Instant> instant(Long epochMillis, long skewMillis) {
    return Optional.ofNullable(epochMillis).map(m -> Instant.ofEpochMilli(m + skewMillis));
  }

  @PreDestroy
  void stop() {
    if (poller >= 0) {
      vertx.cancelTimer(poller);
    }
    if (pods != null) {
      pods.close();
    }
    if (http != null) {
      http.close();
    }
  }
}
