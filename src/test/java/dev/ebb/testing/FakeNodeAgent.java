package dev.ebb.testing;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The part of a cluster the test API server lacks (ReplicaSet controller, scheduler, kubelet), for
 * one namespace: it turns each Ebb Deployment's replicas into pods, runs every copy as a {@link
 * TinyModelServer} process on this machine, and reports each pod's status and the Deployment's
 * ready replicas through the API server, as the real components would: scheduled, then the pod IP
 * with the containers waiting (the sandbox is up), the model-fetch init container running then
 * completed, the model server's container running (not started, not ready) once its process runs,
 * and Ready once {@code /ping} answers 200 — at once by default, or {@link #readinessReportDelay}
 * later, as kubelet's periodic probes see it. Scale-in removes unscheduled copies first, then
 * copies that are not ready, as the ReplicaSet controller does; {@link #startingCopiesRemoved()}
 * counts the scheduled copies removed before they were ready, so a test can prove the autoscaler
 * never asked for it.
 *
 * <p>The node has unlimited GPUs unless {@link #gpus(int)} says otherwise: then a copy whose pod
 * asks for more {@code nvidia.com/gpu} than is free stays unscheduled, reported as the scheduler
 * does ({@code PodScheduled=False}, reason {@code Unschedulable}, {@value #INSUFFICIENT_GPU}),
 * until GPUs free up (a copy goes, or the capacity grows: a node is added); the copy that waited
 * longest is placed first.
 *
 * <p>Model fetches succeed unless {@link #failFetches} says otherwise: then every attempt of the
 * fetch-model init container fails as Ebb's fetcher does when the data is missing (exit 1, one
 * line), reported as kubelet does with {@code terminationMessagePolicy: FallbackToLogsOnError}: the
 * line is the termination's message; the first failure is restarted at once, later ones after a
 * back-off ({@code CrashLoopBackOff}, {@value #FETCH_BACK_OFF_MILLIS} ms doubling up to {@value
 * #FETCH_BACK_OFF_CAP_MILLIS} ms: kubelet's 10 s to 5 min, scaled down), with the restart count
 * growing and the last termination in {@code lastState}, until the failure is lifted.
 */
public final class FakeNodeAgent implements AutoCloseable {
  /**
   * Each copy gets its own loopback address (127.0.1.1, 127.0.1.2, ...) as its pod IP and listens
   * on the container contract's port 8080 there, as a pod would on its own IP.
   */
  private static final AtomicInteger NEXT_ADDRESS =
      // Each JVM starts in its own block of 1000 addresses, so two test runs on one machine (two
      // checkouts, a benchmark beside a build) do not bind the same address and port.
      new AtomicInteger((int) (ProcessHandle.current().pid() % 60) * 1000);

  /** The scheduler's message for a pod no node has GPUs for, on a one-node cluster. */
  public static final String INSUFFICIENT_GPU =
      "0/1 nodes are available: 1 Insufficient nvidia.com/gpu.";

  private static final String GPU = "nvidia.com/gpu";

  /** The first back-off after a fetch failed again (kubelet: 10 s). */
  static final long FETCH_BACK_OFF_MILLIS = 250;

  /** The longest back-off (kubelet: 5 minutes). */
  static final long FETCH_BACK_OFF_CAP_MILLIS = 2000;

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private final KubernetesClient client;
  private final String namespace;
  private final Duration scheduling;
  private final Duration fetching;
  private final Duration loading;
  private final ExecutorService agent =
      Executors.newSingleThreadExecutor(r -> daemon(r, "fake-node-agent"));
  private final ExecutorService lifecycles =
      Executors.newCachedThreadPool(r -> daemon(r, "fake-kubelet"));
  private final Map<String, Copy> copies = new ConcurrentHashMap<>();
  private final AtomicInteger startingCopiesRemoved = new AtomicInteger();
  private final AtomicInteger unscheduledCopiesRemoved = new AtomicInteger();
  private final AtomicInteger failingCopiesRemoved = new AtomicInteger();
  private volatile String fetchFailure;
  private volatile Instant firstFailedAgain;

  /** The scheduler's state: GPUs on the node (null: unlimited), in use, copies waiting for them. */
  private final Object scheduler = new Object();

  private Integer gpuCapacity;
  private int gpusInUse;
  private final List<Copy> waitingForGpus = new ArrayList<>();
  private volatile Instant lastMarkedUnschedulable;
  private final SharedIndexInformer<Deployment> informer;
  private volatile Path gate;
  private volatile boolean closed;
  private volatile java.util.function.Function<String, List<String>> modelServer;
  private volatile Instant lastReady;
  private volatile Instant lastListening;
  private volatile Duration readinessReportDelay = Duration.ZERO;

  /**
   * @param scheduling time from a pod's creation to PodScheduled
   * @param fetching time the model-fetch init container takes (when the pod has one)
   * @param loading time the model server answers 503 on /ping before 200
   */
  public FakeNodeAgent(
      KubernetesClient client,
      String namespace,
      Duration scheduling,
      Duration fetching,
      Duration loading) {
    this.client = client;
    this.namespace = namespace;
    this.scheduling = scheduling;
    this.fetching = fetching;
    this.loading = loading;
    this.informer =
        client
            .apps()
            .deployments()
            .inNamespace(namespace)
            .withLabel("app.kubernetes.io/managed-by", "ebb")
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Deployment d) {
                    reconcileLater(d.getMetadata().getName());
                  }

                  @Override
                  public void onUpdate(Deployment old, Deployment d) {
                    if (!Objects.equals(old.getSpec().getReplicas(), d.getSpec().getReplicas())) {
                      reconcileLater(d.getMetadata().getName());
                    }
                  }

                  @Override
                  public void onDelete(Deployment d, boolean unknown) {
                    reconcileLater(d.getMetadata().getName());
                  }
                });
  }

  /**
   * From now on, new copies also wait for {@code file} to exist before their model is loaded (a
   * cold start the test ends when it chooses); null lifts the gate for new copies.
   */
  public void gateLoading(Path file) {
    this.gate = file;
  }

  /**
   * From now on, copies run {@code command.apply(podIp)} instead of {@link TinyModelServer}: a
   * model server that listens on podIp:8080 and prints {@code listening PORT} once bound.
   */
  public FakeNodeAgent withModelServer(java.util.function.Function<String, List<String>> command) {
    this.modelServer = command;
    return this;
  }

  /**
   * From now on, a copy is reported Ready {@code delay} after its {@code /ping} first answered 200,
   * as a real kubelet reports it: its startup and readiness probes run every 5–10 s, so Ready comes
   * up to a period after the server could answer. Zero (the default) reports it within this agent's
   * 100 ms poll.
   */
  public FakeNodeAgent readinessReportDelay(Duration delay) {
    this.readinessReportDelay = delay;
    return this;
  }

  /** When this agent last reported a copy Ready to the API server (wall clock), if ever. */
  public java.util.Optional<Instant> lastReady() {
    return java.util.Optional.ofNullable(lastReady);
  }

  /**
   * From now on the node has {@code capacity} GPUs ({@code nvidia.com/gpu}), shared by every copy
   * this agent runs. Raising it (a node was added) places the copies waiting for GPUs; lowering it
   * below what is in use evicts nothing.
   */
  public FakeNodeAgent gpus(int capacity) {
    synchronized (scheduler) {
      gpuCapacity = capacity;
      scheduler.notifyAll();
    }
    return this;
  }

  /**
   * When this agent last reported a copy unschedulable to the API server (wall clock, after the API
   * server accepted it), if ever.
   */
  public java.util.Optional<Instant> lastMarkedUnschedulable() {
    return java.util.Optional.ofNullable(lastMarkedUnschedulable);
  }

  /**
   * When the model server of the copy started last said it is bound to its port (wall clock), if
   * ever: from then on a server that loads nothing answers {@code /ping}.
   */
  public java.util.Optional<Instant> lastListening() {
    return java.util.Optional.ofNullable(lastListening);
  }

  /**
   * From now on every model fetch (of every copy, at its next attempt) fails with {@code line} as
   * Ebb's fetcher's one line on failure, e.g. {@code fetch-model: s3://b/k: NoSuchKey: ...}; null
   * lets the next attempts succeed (the data was uploaded).
   */
  public FakeNodeAgent failFetches(String line) {
    this.fetchFailure = line;
    return this;
  }

  /**
   * When this agent first reported a copy's fetch failed again after a restart (wall clock, after
   * the API server accepted it), if ever: from then on the copy keeps failing, as kubelet shows it.
   */
  public java.util.Optional<Instant> firstFailedAgain() {
    return java.util.Optional.ofNullable(firstFailedAgain);
  }

  /**
   * How many copies were removed while still starting: scheduled, never ready, and not failing
   * (their fetch never failed twice).
   */
  public int startingCopiesRemoved() {
    return startingCopiesRemoved.get();
  }

  /** How many copies were removed while their fetch kept failing. */
  public int failingCopiesRemoved() {
    return failingCopiesRemoved.get();
  }

  /** How many copies were removed before they were scheduled (waiting for GPUs). */
  public int unscheduledCopiesRemoved() {
    return unscheduledCopiesRemoved.get();
  }

  private void reconcileLater(String deployment) {
    agent.execute(() -> reconcile(deployment));
  }

  private void reconcile(String name) {
    try {
      Deployment d = client.apps().deployments().inNamespace(namespace).withName(name).get();
      int desired = d == null || d.getSpec().getReplicas() == null ? 0 : d.getSpec().getReplicas();
      List<Copy> mine = new ArrayList<>(copiesOf(name));
      for (int i = mine.size(); i < desired; i++) {
        start(d);
      }
      if (mine.size() > desired) {
        // The ReplicaSet controller's order: unscheduled copies first, then copies not ready,
        // then the newest.
        mine.sort(
            Comparator.comparing((Copy c) -> c.scheduled)
                .thenComparing(c -> c.ready)
                .thenComparing(c -> c.created, Comparator.reverseOrder()));
        for (Copy victim : mine.subList(0, mine.size() - desired)) {
          if (!victim.scheduled) {
            unscheduledCopiesRemoved.incrementAndGet();
          } else if (victim.fetchRestarts > 0) {
            failingCopiesRemoved.incrementAndGet();
          } else if (!victim.ready) {
            startingCopiesRemoved.incrementAndGet();
          }
          stop(victim);
        }
      }
      if (d != null) {
        syncStatus(d);
      }
    } catch (RuntimeException e) {
      if (!closed) {
        System.err.println("[fake-node-agent] " + name + ": " + e);
      }
    }
  }

  private List<Copy> copiesOf(String deployment) {
    return copies.values().stream().filter(c -> c.deployment.equals(deployment)).toList();
  }

  private void start(Deployment d) {
    var template = d.getSpec().getTemplate();
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withGenerateName(d.getMetadata().getName() + "-")
            .withNamespace(namespace)
            .withLabels(template.getMetadata().getLabels())
            .withAnnotations(template.getMetadata().getAnnotations())
            .withOwnerReferences(
                new OwnerReferenceBuilder()
                    .withApiVersion("apps/v1")
                    .withKind("Deployment")
                    .withName(d.getMetadata().getName())
                    .withUid(d.getMetadata().getUid())
                    .withController(true)
                    .build())
            .endMetadata()
            .withSpec(template.getSpec())
            .build();
    Pod created = client.pods().resource(pod).create();
    boolean fetches =
        template.getSpec().getInitContainers() != null
            && !template.getSpec().getInitContainers().isEmpty();
    Copy copy =
        new Copy(created.getMetadata().getName(), d.getMetadata().getName(), gate, gpus(template));
    copies.put(copy.pod, copy);
    copy.lifecycle = lifecycles.submit(() -> run(copy, fetches));
  }

  /** The GPUs a pod of {@code template} asks for (its containers' limits, else requests). */
  private static int gpus(io.fabric8.kubernetes.api.model.PodTemplateSpec template) {
    int gpus = 0;
    for (var container : template.getSpec().getContainers()) {
      var resources = container.getResources();
      if (resources == null) {
        continue;
      }
      var quantity =
          resources.getLimits() != null && resources.getLimits().containsKey(GPU)
              ? resources.getLimits().get(GPU)
              : resources.getRequests() == null ? null : resources.getRequests().get(GPU);
      if (quantity != null) {
        gpus += quantity.getNumericalAmount().intValue();
      }
    }
    return gpus;
  }

  /**
   * The scheduler's part: waits until the node has the copy's GPUs free and no copy has waited for
   * them longer, reporting the copy unschedulable meanwhile; false if the copy was removed first.
   */
  private boolean schedule(Copy copy) throws InterruptedException {
    if (copy.gpus == 0) {
      return true;
    }
    boolean reported = false;
    while (true) {
      synchronized (scheduler) {
        if (copy.stopped) {
          waitingForGpus.remove(copy);
          return false;
        }
        if (!waitingForGpus.contains(copy)) {
          waitingForGpus.add(copy);
        }
        boolean first = waitingForGpus.get(0) == copy;
        if (first && (gpuCapacity == null || gpusInUse + copy.gpus <= gpuCapacity)) {
          waitingForGpus.remove(copy);
          gpusInUse += copy.gpus;
          copy.holdsGpus = true;
          return true;
        }
        if (reported) {
          scheduler.wait();
          continue;
        }
      }
      // As the scheduler reports a pod no node fits: Pending, PodScheduled False, Unschedulable.
      patchUnschedulable(copy);
      lastMarkedUnschedulable = Instant.now();
      reported = true;
    }
  }

  /** The copy's GPUs go back to the node, and the copies waiting for them are looked at again. */
  private void release(Copy copy) {
    synchronized (scheduler) {
      waitingForGpus.remove(copy);
      if (copy.holdsGpus) {
        gpusInUse -= copy.gpus;
        copy.holdsGpus = false;
      }
      scheduler.notifyAll();
    }
  }

  /** One copy's life as a kubelet would report it. */
  private void run(Copy copy, boolean fetches) {
    try {
      Thread.sleep(scheduling.toMillis());
      if (!schedule(copy)) {
        return;
      }
      copy.scheduled = true;
      copy.conditions.put("PodScheduled", now());
      // The sandbox is up: the pod has its IP, its containers wait for the init container.
      copy.hasIp = true;
      copy.serverWaiting = fetches ? "PodInitializing" : "ContainerCreating";
      if (fetches) {
        copy.fetchStartedAt = now();
      }
      patchStatus(copy, "Pending", false);
      if (fetches) {
        fetch(copy);
      }
      copy.conditions.put("Initialized", now());
      copy.serverWaiting = "ContainerCreating";
      copy.process = launch(copy);
      if (copy.stopped) {
        copy.process.destroyForcibly();
        return;
      }
      // Running as soon as its process is: before the server has bound its port.
      copy.serverStartedAt = now();
      patchStatus(copy, "Running", false);
      awaitListening(copy.process);
      lastListening = Instant.now();
      while (!ping(copy.ip)) {
        if (copy.stopped) {
          return;
        }
        Thread.sleep(100);
      }
      // Kubelet sees it at its next probes, not at once.
      Thread.sleep(readinessReportDelay.toMillis());
      copy.conditions.put("ContainersReady", now());
      copy.conditions.put("Ready", now());
      patchStatus(copy, "Running", true);
      copy.ready = true;
      lastReady = Instant.now();
      reconcileLater(copy.deployment);
    } catch (InterruptedException | KubernetesClientException e) {
      // Stopped (the copy was removed) or the pod is gone.
    } catch (IOException e) {
      if (!closed && !copy.stopped) {
        System.err.println("[fake-node-agent] " + copy.pod + ": " + e.getMessage());
      }
    }
  }

  /**
   * The fetch-model init container until it completes: each attempt runs for {@code fetching}, then
   * fails (exit 1, the line of {@link #failFetches} as its termination message) while a failure is
   * set, and is restarted as kubelet does: at once after the first failure, then after a back-off
   * during which it waits with reason CrashLoopBackOff.
   */
  private void fetch(Copy copy) throws InterruptedException {
    while (true) {
      Thread.sleep(fetching.toMillis());
      String failure = fetchFailure;
      String finishedAt = now();
      if (failure == null) {
        copy.fetchFinishedAt = finishedAt;
        return;
      }
      // Terminated: exit 1, the fetcher's line (the log's tail) as the message.
      Map<String, Object> terminated = new LinkedHashMap<>();
      terminated.put("exitCode", 1);
      terminated.put("reason", "Error");
      terminated.put("message", failure + "\n");
      terminated.put("startedAt", copy.fetchStartedAt);
      terminated.put("finishedAt", finishedAt);
      copy.fetchState = Map.of("terminated", terminated);
      patchStatus(copy, "Pending", false);
      if (copy.fetchRestarts > 0 && firstFailedAgain == null) {
        firstFailedAgain = Instant.now();
      }
      copy.fetchLastState = Map.of("terminated", terminated);
      if (copy.fetchRestarts > 0) {
        long backOff =
            Math.min(
                FETCH_BACK_OFF_MILLIS << Math.min(copy.fetchRestarts - 1, 16),
                FETCH_BACK_OFF_CAP_MILLIS);
        copy.fetchState =
            Map.of(
                "waiting",
                Map.of(
                    "reason",
                    "CrashLoopBackOff",
                    "message",
                    "back-off "
                        + backOff
                        + "ms restarting failed container=fetch-model pod="
                        + copy.pod));
        patchStatus(copy, "Pending", false);
        Thread.sleep(backOff);
      }
      // Restarted: running again, one restart more, the failure in lastState.
      copy.fetchRestarts++;
      copy.fetchStartedAt = now();
      copy.fetchState = null;
      patchStatus(copy, "Pending", false);
    }
  }

  private Process launch(Copy copy) throws IOException {
    List<String> command = new ArrayList<>();
    if (modelServer != null) {
      command.addAll(modelServer.apply(copy.ip));
    } else {
      command.addAll(tinyModelServer(copy));
    }
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  /** The default model server: {@link TinyModelServer} in its own JVM. */
  private List<String> tinyModelServer(Copy copy) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "-Xmx32m",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            Path.of("target", "test-classes").toAbsolutePath().toString(),
            TinyModelServer.class.getName(),
            copy.ip,
            "8080",
            String.valueOf(loading.toMillis())));
    if (copy.gate != null) {
      command.add(copy.gate.toString());
    }
    return command;
  }

  /** Waits until the model server says it is bound (its first line). */
  private static void awaitListening(Process process) throws IOException {
    var out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    if (line == null || !line.startsWith("listening ")) {
      process.destroyForcibly();
      throw new IOException("model server did not start: " + line);
    }
  }

  private static boolean ping(String ip) {
    try {
      var response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://" + ip + ":8080/ping"))
                  .timeout(Duration.ofSeconds(1))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The pod's status as kubelet reports it at this point of the copy's life. */
  private void patchStatus(Copy copy, String phase, boolean ready) {
    List<Map<String, Object>> conditions = new ArrayList<>();
    if (copy.firstReported == null) {
      copy.firstReported = now();
    }
    for (String type : List.of("PodScheduled", "Initialized", "ContainersReady", "Ready")) {
      String at = copy.conditions.get(type);
      // A condition False since kubelet first reported the pod keeps that transition time.
      conditions.add(
          Map.of(
              "type", type,
              "status", at == null ? "False" : "True",
              "lastTransitionTime", at == null ? copy.firstReported : at));
    }
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("phase", phase);
    status.put("conditions", conditions);
    if (copy.hasIp) {
      status.put("podIP", copy.ip);
      status.put("podIPs", List.of(Map.of("ip", copy.ip)));
    }
    if (copy.fetchStartedAt != null) {
      Map<String, Object> state =
          copy.fetchState != null
              ? copy.fetchState
              : copy.fetchFinishedAt == null
                  ? Map.of("running", Map.of("startedAt", copy.fetchStartedAt))
                  : Map.of(
                      "terminated",
                      Map.of(
                          "exitCode",
                          0,
                          "reason",
                          "Completed",
                          "startedAt",
                          copy.fetchStartedAt,
                          "finishedAt",
                          copy.fetchFinishedAt));
      status.put(
          "initContainerStatuses",
          List.of(
              container(
                  "fetch-model",
                  state,
                  copy.fetchFinishedAt != null,
                  true,
                  copy.fetchRestarts,
                  copy.fetchLastState)));
    }
    if (copy.serverWaiting != null) {
      // With a startup probe, "started" stays false until it passes: here, with readiness.
      Map<String, Object> state =
          copy.serverStartedAt == null
              ? Map.of("waiting", Map.of("reason", copy.serverWaiting))
              : Map.of("running", Map.of("startedAt", copy.serverStartedAt));
      status.put(
          "containerStatuses", List.of(container("model-server", state, ready, ready, 0, null)));
    }
    client
        .pods()
        .inNamespace(namespace)
        .withName(copy.pod)
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(Map.of("status", status)));
  }

  private void patchUnschedulable(Copy copy) {
    Map<String, Object> condition = new LinkedHashMap<>();
    condition.put("type", "PodScheduled");
    condition.put("status", "False");
    condition.put("reason", "Unschedulable");
    condition.put("message", INSUFFICIENT_GPU);
    condition.put("lastTransitionTime", now());
    client
        .pods()
        .inNamespace(namespace)
        .withName(copy.pod)
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            Serialization.asJson(
                Map.of("status", Map.of("phase", "Pending", "conditions", List.of(condition)))));
  }

  private static Map<String, Object> container(
      String name,
      Map<String, Object> state,
      boolean ready,
      boolean started,
      int restarts,
      Map<String, Object> lastState) {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("name", name);
    status.put("image", "tiny-model-server");
    status.put("imageID", "");
    status.put("ready", ready);
    status.put("restartCount", restarts);
    status.put("started", started);
    status.put("state", state);
    if (lastState != null) {
      status.put("lastState", lastState);
    }
    return status;
  }

  private void syncStatus(Deployment d) {
    List<Copy> mine = copiesOf(d.getMetadata().getName());
    long ready = mine.stream().filter(c -> c.ready).count();
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("observedGeneration", d.getMetadata().getGeneration());
    status.put("replicas", mine.size());
    status.put("updatedReplicas", mine.size());
    status.put("readyReplicas", ready);
    status.put("availableReplicas", ready);
    client
        .apps()
        .deployments()
        .inNamespace(namespace)
        .withName(d.getMetadata().getName())
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(Map.of("status", status)));
  }

  private void stop(Copy copy) {
    copies.remove(copy.pod);
    copy.stopped = true;
    release(copy);
    if (copy.lifecycle != null) {
      copy.lifecycle.cancel(true);
    }
    if (copy.process != null) {
      copy.process.destroyForcibly();
    }
    try {
      client.pods().inNamespace(namespace).withName(copy.pod).withGracePeriod(0).delete();
    } catch (KubernetesClientException e) {
      // Already gone.
    }
  }

  @Override
  public void close() {
    closed = true;
    informer.close();
    agent.shutdownNow();
    lifecycles.shutdownNow();
    copies
        .values()
        .forEach(
            c -> {
              if (c.process != null) {
                c.process.destroyForcibly();
              }
            });
  }

  private static String loopbackAddress(int n) {
    return "127." + (1 + n / 65025) + "." + (1 + (n / 255) % 255) + "." + (1 + n % 255);
  }

  private static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static Thread daemon(Runnable r, String name) {
    Thread thread = new Thread(r, name);
    thread.setDaemon(true);
    return thread;
  }

  /** One copy: its pod and, once its container started, its model-server process. */
  private static final class Copy {
    final String pod;
    final String deployment;
    final Path gate;
    final Instant created = Instant.now();
    final Map<String, String> conditions = new ConcurrentHashMap<>();
    volatile Process process;
    final String ip = loopbackAddress(NEXT_ADDRESS.incrementAndGet());
    final int gpus;
    volatile boolean scheduled;
    volatile boolean hasIp;
    volatile String fetchStartedAt;
    volatile String fetchFinishedAt;

    /** The fetch's state when it failed or backs off (null: running, or completed). */
    volatile Map<String, Object> fetchState;

    volatile Map<String, Object> fetchLastState;
    volatile int fetchRestarts;

    /** When kubelet first reported the pod's status: conditions False since then. */
    volatile String firstReported;

    /** Why the model server's container waits (null: no container status yet). */
    volatile String serverWaiting;

    volatile String serverStartedAt;
    volatile boolean ready;
    volatile boolean stopped;
    volatile java.util.concurrent.Future<?> lifecycle;

    /** Guarded by the agent's scheduler lock. */
    boolean holdsGpus;

    Copy(String pod, String deployment, Path gate, int gpus) {
      this.pod = pod;
      this.deployment = deployment;
      this.gate = gate;
      this.gpus = gpus;
    }
  }
}
