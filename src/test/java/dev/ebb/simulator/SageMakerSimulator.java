package dev.ebb.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.ebb.simulator.model.ModelViolations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A fake Amazon SageMaker (control plane and runtime) that speaks the real AWS wire protocols, so
 * Ebb's tests drive it through the real aws-sdk-java-v2 clients with an endpoint override.
 *
 * <pre>{@code
 * try (var sim = SageMakerSimulator.builder().clock(clock).build().start()) {
 *   var sageMaker = SageMakerClient.builder().endpointOverride(sim.endpoint())...build();
 * }
 * }</pre>
 *
 * State is kept per region (taken from each request's SigV4 credential scope). Asynchronous
 * transitions (Creating to InService, copies moving) take the {@link Delays} given, evaluated
 * lazily against the injected {@link Clock}: no background threads, so a {@link ManualClock} makes
 * every test deterministic. See {@link Faults} for throttling and failure injection, and {@link
 * #calls()} for the call log.
 *
 * <p>The same port also serves the S3 and SNS calls that asynchronous inference needs (told apart
 * by the SigV4 credential scope's service): give S3Client and SnsClient the same endpointOverride
 * (S3 with forcePathStyle). {@link #s3()} and {@link #sns()} seed and read that state directly.
 * InvokeEndpointAsync answers at once and runs the request lazily, the next time the simulator is
 * observed (any call, or a read through {@link #s3()}, {@link #sns()}, {@link #region} or {@link
 * #drainAsync()}) once the endpoint has an instance.
 */
public final class SageMakerSimulator implements AutoCloseable {
  public static final String DEFAULT_ACCOUNT = "123456789012";
  public static final int DEFAULT_STANDALONE_PORT = 4599;

  static {
    // The JDK server writes headers and body separately; without TCP_NODELAY each small answer
    // waits out the client's delayed ACK (~40 ms a call). Read once, when the JDK's server
    // configuration first loads, so it must be set before the first HttpServer is created.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final String host;
  private final int port;
  private final Resources resources = new Resources();
  private final CallLog callLog = new CallLog();
  private final Faults faults;
  private final Quotas quotas = new Quotas();
  private final Dispatcher dispatcher;
  private final SimulatedS3 s3;
  private final SimulatedSns sns;
  private HttpServer server;
  private ExecutorService executor;

  private SageMakerSimulator(Builder b) {
    this.host = b.host;
    this.port = b.port;
    this.faults = new Faults(b.seed);
    this.dispatcher =
        new Dispatcher(resources, faults, quotas, callLog, b.clock, b.delays, b.account, b.seed);
    this.dispatcher.autoscaling(b.autoscaling);
    if (b.modelContainer != null) {
      this.dispatcher.transforms().container(b.modelContainer);
    }
    this.s3 = new SimulatedS3(dispatcher);
    this.sns = new SimulatedSns(dispatcher, b.account);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Opens the HTTP port. Without it the simulator still serves {@link #call} (fast tests). */
  public synchronized SageMakerSimulator start() {
    if (server != null) {
      return this;
    }
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot listen on " + host + ":" + port, e);
    }
    executor = Executors.newCachedThreadPool();
    server.setExecutor(executor);
    server.createContext("/", new WireProtocol(dispatcher, new AdminApi(this)));
    server.start();
    return this;
  }

  /** The URL to give the SDK's endpointOverride (both SageMaker and SageMaker Runtime). */
  public URI endpoint() {
    if (server == null) {
      throw new IllegalStateException("The simulator is not started");
    }
    return URI.create("http://" + host + ":" + server.getAddress().getPort());
  }

  /**
   * Stops the server, then fails (AssertionError) if any request or answer broke AWS's service
   * models and no test took the violation ({@link #modelViolations()}): every fixture that closes
   * its simulator thereby fails the test whose calls AWS would have refused.
   */
  @Override
  public synchronized void close() {
    if (server != null) {
      server.stop(0);
      executor.shutdownNow();
      server = null;
    }
    dispatcher.violations().assertNone();
  }

  /**
   * The requests this simulator refused and the answers it gave against AWS's service models
   * (botocore). A test that sends an invalid request on purpose takes its violation with {@code
   * drain()}; whatever is left fails {@link #close()}.
   */
  public ModelViolations modelViolations() {
    return dispatcher.violations();
  }

  /** Fails (AssertionError) if any violation of AWS's models is left untaken; forgets them. */
  public void assertNoModelViolations() {
    dispatcher.violations().assertNone();
  }

  public Faults faults() {
    return faults;
  }

  /** The simulated S3: buckets and objects, to seed inputs and read outputs. */
  public SimulatedS3 s3() {
    return s3;
  }

  /** The simulated SNS: topics and the messages published to them. */
  public SimulatedSns sns() {
    return sns;
  }

  /**
   * Runs every queued InvokeEndpointAsync request that can run now, and answers how many remain
   * queued: those whose endpoint has no instance yet (or, with a manual clock, that wait for it to
   * be advanced past an instance's arrival). A test waits for async completion with this, or by
   * reading the output through {@link #s3()}, which runs the same work first.
   */
  public int drainAsync() {
    return dispatcher.inspect(
        r -> r.all().values().stream().mapToInt(region -> region.asyncQueue.size()).sum());
  }

  /** Instance quotas per type; unlimited unless set. */
  public Quotas quotas() {
    return quotas;
  }

  /** Shorthand for {@code faults().failNextCreate(operation, reason)}. */
  public SageMakerSimulator failNextCreate(String operation, String reason) {
    faults.failNextCreate(operation, reason);
    return this;
  }

  public List<Call> calls() {
    return callLog.all();
  }

  public List<Call> calls(String operation) {
    return callLog.of(operation);
  }

  public void clearCalls() {
    callLog.clear();
  }

  CallLog callLog() {
    return callLog;
  }

  /** The resources of a region, as of now on the simulator's clock. */
  public Snapshot.Region region(String region) {
    return dispatcher.inspect(r -> Snapshot.of(r.region(region)));
  }

  /** The Application Auto Scaling and CloudWatch state of a region. */
  public Snapshot.Scaling scaling(String region) {
    return dispatcher.inspect(r -> Snapshot.scaling(r.region(region)));
  }

  /**
   * Turns scaling execution on or off from now on ({@link Builder#autoscaling}); for a test that
   * shares a simulator started without it.
   */
  public void autoscaling(boolean on) {
    dispatcher.autoscaling(on);
  }

  /** The delays of transitions started from now on ({@link Builder#delays}). */
  public void delays(Delays delays) {
    dispatcher.delays(delays);
  }

  /**
   * The model container batch transform jobs invoke from now on, for models without their own:
   * {@link ModelContainer#echo()} (the default), a function ({@link ModelContainer#of}) or a real
   * model server ({@link ModelContainer#http}).
   */
  public SageMakerSimulator modelContainer(ModelContainer container) {
    dispatcher.transforms().container(container);
    return this;
  }

  /** The model container of the jobs that run the model named {@code modelName}. */
  public SageMakerSimulator modelContainer(String modelName, ModelContainer container) {
    dispatcher.transforms().container(modelName, container);
    return this;
  }

  /**
   * Runs every transition due now, batch transform jobs included (a job due runs its transform
   * now), as any call would; for a test that waits without calling.
   */
  public void catchUp() {
    dispatcher.inspect(r -> null);
  }

  /** Application Auto Scaling's scaling activities in a region, newest first. */
  public List<com.fasterxml.jackson.databind.JsonNode> scalingActivities(String region) {
    return dispatcher.inspect(
        r -> {
          List<ObjectNode> all = r.region(region).scaling.activities;
          List<com.fasterxml.jackson.databind.JsonNode> out = new java.util.ArrayList<>();
          for (int i = all.size() - 1; i >= 0; i--) {
            out.add(all.get(i).deepCopy());
          }
          return out;
        });
  }

  /** Every region's resources as their Describe* outputs, with tags (the admin state dump). */
  public ObjectNode stateJson() {
    return dispatcher.inspect(
        r -> {
          ObjectNode out = Json.object();
          ObjectNode regions = out.putObject("Regions");
          r.all().forEach((name, store) -> regions.set(name, Descriptions.region(store)));
          return out;
        });
  }

  /** Forgets every resource (buckets and topics too), call, fault and quota. */
  public void reset() {
    dispatcher.reset(
        () -> {
          resources.clear();
          callLog.clear();
          faults.reset();
          quotas.reset();
        });
  }

  /**
   * Calls a control-plane operation without HTTP, through the same path as the wire (faults, call
   * log, validation). Throws {@link AwsError} for an error answer.
   */
  public ObjectNode call(String region, String operation, ObjectNode request) {
    return dispatcher.control(region, operation, request);
  }

  Invocation.Reply invoke(String region, Invocation invocation) {
    return dispatcher.invoke(region, invocation);
  }

  /**
   * Runs the simulator standalone until the process is stopped: {@code SageMakerSimulator [port]},
   * or the port from EBB_SIMULATOR_PORT, else 4599; EBB_SIMULATOR_HOST picks the address (default
   * 127.0.0.1). Delays are {@link Delays#defaults()} on the system clock.
   */
  public static void main(String[] args) throws InterruptedException {
    SageMakerSimulator sim = standalone(args, System.getenv());
    Runtime.getRuntime().addShutdownHook(new Thread(sim::close));
    System.out.println("SageMaker simulator listening on " + sim.endpoint());
    System.out.println("Admin API: " + sim.endpoint() + "/_sim/state, /_sim/calls, /_sim/reset");
    new CountDownLatch(1).await();
  }

  /** Starts a simulator the way {@link #main} does, from its arguments and environment. */
  static SageMakerSimulator standalone(String[] args, Map<String, String> env) {
    String portText = args.length > 0 ? args[0] : env.get("EBB_SIMULATOR_PORT");
    int port = portText == null ? DEFAULT_STANDALONE_PORT : Integer.parseInt(portText.strip());
    String host = env.getOrDefault("EBB_SIMULATOR_HOST", "127.0.0.1");
    return builder().host(host).port(port).build().start();
  }

  /** Settings of a simulator; every one has a default. */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private Delays delays = Delays.defaults();
    private String account = DEFAULT_ACCOUNT;
    private String host = "127.0.0.1";
    private int port;
    private long seed = 42;
    private boolean autoscaling;
    private ModelContainer modelContainer;

    private Builder() {}

    /**
     * The model container batch transform jobs send their mini-batches to, for every model without
     * one of its own ({@link SageMakerSimulator#modelContainer(String, ModelContainer)}); {@link
     * ModelContainer#echo()} by default.
     */
    public Builder modelContainer(ModelContainer container) {
      this.modelContainer = container;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    public Builder delays(Delays delays) {
      this.delays = delays;
      return this;
    }

    public Builder account(String account) {
      this.account = account;
      return this;
    }

    public Builder host(String host) {
      this.host = host;
      return this;
    }

    /** 0 (the default) picks a free ephemeral port. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** Seeds throttling and weighted routing, so a run is reproducible. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Evaluates CloudWatch alarms on the metrics SageMaker would publish, runs the scaling policies
     * they invoke and fires scheduled actions (off by default: alarms then stay in
     * INSUFFICIENT_DATA and only the objects' shapes are kept). Meant for a {@link ManualClock}.
     */
    public Builder autoscaling(boolean on) {
      this.autoscaling = on;
      return this;
    }

    public SageMakerSimulator build() {
      return new SageMakerSimulator(this);
    }
  }
}
