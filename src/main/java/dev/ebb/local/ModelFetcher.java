package dev.ebb.local;

import dev.ebb.sagemaker.ModelFetch;
import java.util.ArrayList;
import java.util.List;

/**
 * How a model pod's init container fetches the model data: Ebb's own {@link ModelFetch} run with
 * plain {@code java} from {@code image}, which must be Ebb's operator image (or a copy of it, for a
 * private registry): the Quarkus fast-jar in {@code /deployments}, see {@code
 * src/main/docker/Dockerfile.jvm}.
 *
 * @param image the operator image ({@code ebb.local.model-fetcher-image})
 * @param s3Endpoint the S3 endpoint the fetcher uses instead of AWS's ({@code
 *     ebb.aws.endpoint-override}: the simulator in the sandbox), or null for AWS
 */
public record ModelFetcher(String image, String s3Endpoint) {
  /** Where Dockerfile.jvm puts the Quarkus fast-jar (target/quarkus-app). */
  public static final String APP_HOME = "/deployments";

  /**
   * The fast-jar's application and its libraries. lib/boot holds JBoss LogManager, which the SDK's
   * logging (slf4j-jboss-logmanager, in lib/main) needs: without it SLF4J prints its complaints on
   * stderr.
   */
  public static final String CLASSPATH =
      APP_HOME + "/app/*:" + APP_HOME + "/lib/main/*:" + APP_HOME + "/lib/boot/*";

  /**
   * A small JVM for a short copy: heap sized from the container's memory limit, the serial
   * collector, the JDK's class-data archive, no perf-data file (the root filesystem is read-only),
   * and JBoss LogManager as the JDK's log manager, as in the operator itself (unconfigured, it
   * keeps the SDK's logging quiet: the fetcher reports what matters itself).
   */
  public static final List<String> JVM_FLAGS =
      List.of(
          "-XX:MaxRAMPercentage=75",
          "-XX:+UseSerialGC",
          "-Xshare:auto",
          "-XX:-UsePerfData",
          "-Djava.util.logging.manager=org.jboss.logmanager.LogManager");

  public static final String MAIN_CLASS = ModelFetch.class.getName();

  /** The init container's command: {@code java <flags> -cp <classpath> <main class>}. */
  public static List<String> command() {
    List<String> command = new ArrayList<>();
    command.add("java");
    command.addAll(JVM_FLAGS);
    command.add("-cp");
    command.add(CLASSPATH);
    command.add(MAIN_CLASS);
    return List.copyOf(command);
  }

  /** Its arguments: the model data, the model directory and the download timeout. */
  public static List<String> args(String modelDataUrl, String dir, int timeoutSeconds) {
    return List.of(modelDataUrl, dir, "--timeout-seconds", String.valueOf(timeoutSeconds));
  }
}
